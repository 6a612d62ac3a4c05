#[whmcs_api::action(spec = "tests/ui/specs/empty_named_enum.toml")]
pub struct GetWidgets;
fn main() {}
