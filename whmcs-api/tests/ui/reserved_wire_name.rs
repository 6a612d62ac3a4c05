#[whmcs_api::action(spec = "tests/ui/specs/reserved_wire_name.toml")]
pub struct GetWidgets;
fn main() {}
