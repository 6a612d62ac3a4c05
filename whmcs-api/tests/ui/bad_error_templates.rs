#[whmcs_api::action(spec = "tests/ui/specs/bad_error_templates.toml")]
pub struct GetWidgets;
fn main() {}
