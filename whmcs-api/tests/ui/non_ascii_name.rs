#[whmcs_api::action(spec = "tests/ui/specs/non_ascii_name.toml")]
pub struct GetWidgets;
fn main() {}
