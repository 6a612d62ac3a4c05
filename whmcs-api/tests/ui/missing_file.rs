#[whmcs_api::action(spec = "tests/ui/specs/missing_file.toml")]
pub struct GetWidgets;
fn main() {}
