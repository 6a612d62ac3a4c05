#[whmcs_api::action(spec = "tests/ui/specs/generated_name_clash.toml")]
pub struct GetWidgets;
fn main() {}
