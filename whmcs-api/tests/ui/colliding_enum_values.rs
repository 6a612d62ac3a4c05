#[whmcs_api::action(spec = "tests/ui/specs/colliding_enum_values.toml")]
pub struct GetWidgets;
fn main() {}
