#[whmcs_api::action(spec = "tests/ui/specs/duplicate_param.toml")]
pub struct GetWidgets;
fn main() {}
