#[whmcs_api::action(spec = "tests/ui/specs/missing_summary_and_reference.toml")]
pub struct GetWidgets;
fn main() {}
