#[whmcs_api::action(spec = "tests/ui/specs/unknown_type_reference.toml")]
pub struct GetWidgets;
fn main() {}
