//! The `test_against_mock` example, run as the integration test it shows how to write.

#[path = "../test_against_mock.rs"]
mod test_against_mock;

#[test]
fn suspend_debtors_suspends_the_services_of_clients_with_unpaid_invoices() {
    if let Err(e) = test_against_mock::main() {
        panic!("{e}");
    }
}
