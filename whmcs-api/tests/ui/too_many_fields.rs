#[whmcs_api::action(spec = "tests/ui/specs/too_many_fields.toml")]
pub struct GetWidgets;
fn main() {}
