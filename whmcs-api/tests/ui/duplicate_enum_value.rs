#[whmcs_api::action(spec = "tests/ui/specs/duplicate_enum_value.toml")]
pub struct GetWidgets;
fn main() {}
