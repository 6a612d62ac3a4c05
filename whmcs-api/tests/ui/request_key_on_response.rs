#[whmcs_api::action(spec = "tests/ui/specs/request_key_on_response.toml")]
pub struct GetWidgets;
fn main() {}
