#[whmcs_api::action(spec = "tests/ui/specs/bad_example_request.toml")]
pub struct GetWidgets;
fn main() {}
