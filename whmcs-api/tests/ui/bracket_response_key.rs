#[whmcs_api::action(spec = "tests/ui/specs/bracket_response_key.toml")]
pub struct GetWidgets;
fn main() {}
