//! How to test your own WHMCS integration without a WHMCS licence: start the embedded mock, point
//! your code at it, and assert on what it did. The same test lives in `examples/tests/` so
//! `cargo test` runs it; here it runs as a program: `cargo run --example test_against_mock`.

use whmcs_api::Client;
use whmcs_api::actions::{AddClientRequired, InvoiceStatus, ServiceStatus};
use whmcs_mock::MockServer;

/// The code under test: suspends every service of clients with an unpaid invoice.
async fn suspend_debtors(client: &Client) -> Result<Vec<i64>, Box<dyn std::error::Error>> {
    let mut suspended = Vec::new();
    let unpaid = client
        .get_invoices()
        .status(InvoiceStatus::Unpaid)
        .pages(100)
        .collect()
        .await?;
    for invoice in unpaid {
        let Some(owner) = invoice.userid else {
            continue;
        };
        let services = client.get_clients_products().clientid(owner).await?;
        for service in services.products {
            if let Some(id) = service.id {
                client
                    .module_suspend(id)
                    .suspendreason("Overdue invoice")
                    .await?;
                suspended.push(id);
            }
        }
    }
    Ok(suspended)
}

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await?;
    let client = mock.client()?;

    // Arrange: one client with an order (which raises an unpaid invoice), accepted.
    let added = client
        .add_client(AddClientRequired {
            firstname: "Dorothy",
            lastname: "Vaughan",
            email: "dv@example.com",
            address1: "1 Main St",
            city: "Hampton",
            state: "VA",
            postcode: "23669",
            country: "US",
            phonenumber: "+1.7575550199",
        })
        .await?;
    let id = added.clientid;
    let order = client.add_order(id, "mailin").pid([1]).await?;
    client.accept_order(order.orderid).await?;

    // Act.
    let suspended = suspend_debtors(&client).await?;

    // Assert: the service is suspended, as WHMCS reports it.
    assert_eq!(suspended.len(), 1);
    let products = client.get_clients_products().clientid(id).await?;
    assert_eq!(products.products[0].status, Some(ServiceStatus::Suspended));
    println!(
        "ok: suspend_debtors suspended service #{} of client #{id}",
        suspended[0]
    );
    Ok(())
}
