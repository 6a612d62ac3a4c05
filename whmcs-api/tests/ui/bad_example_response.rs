#[whmcs_api::action(spec = "tests/ui/specs/bad_example_response.toml")]
pub struct GetWidgets;
fn main() {}
