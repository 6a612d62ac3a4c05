#[whmcs_api::action(spec = "tests/ui/specs/recursive_type.toml")]
pub struct GetWidgets;
fn main() {}
