#[whmcs_api::action(spec = "tests/ui/specs/bom_columns.toml")]
pub struct GetWidgets;
fn main() {}
