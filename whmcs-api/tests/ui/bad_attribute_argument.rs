#[whmcs_api::action(path = "tests/ui/specs/bad_attribute_argument.toml")]
pub struct GetWidgets;
fn main() {}
