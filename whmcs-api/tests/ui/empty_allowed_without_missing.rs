#[whmcs_api::action(spec = "tests/ui/specs/empty_allowed_without_missing.toml")]
pub struct SetWidgetLabel;
fn main() {}
