#[whmcs_api::action(spec = "tests/ui/specs/toml_syntax_error.toml")]
pub struct GetWidgets;
fn main() {}
