//! The whole flow in one go: create a client, place an order, accept it, file a cancellation
//! request for the new service, and see the typed error when filing a second one. Runs against the
//! embedded mock WHMCS unless WHMCS_URL (with WHMCS_API_IDENTIFIER / WHMCS_API_SECRET) points at a
//! real installation.

use whmcs_api::actions::{AddCancelRequestError, AddClientRequired, CancellationType};
use whmcs_api::{Client, Error};
use whmcs_mock::MockServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = match std::env::var("WHMCS_URL") {
        Ok(url) => {
            println!("Using WHMCS at {url}");
            (Client::from_env()?, None)
        }
        Err(_) => {
            let mock = MockServer::start().await?;
            println!(
                "WHMCS_URL is not set: using the embedded mock WHMCS at {}",
                mock.url()
            );
            (mock.client()?, Some(mock))
        }
    };

    let added = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "ada@example.com",
            address1: "12 Analytical Row",
            city: "London",
            state: "Greater London",
            postcode: "N1 1AA",
            country: "GB",
            phonenumber: "+44.2071234567",
        })
        .await?;
    let client_id = added.clientid;
    let details = client.get_clients_details().clientid(client_id).await?;
    let name = details
        .client
        .as_ref()
        .and_then(|c| c.fullname.clone())
        .unwrap_or_default();
    println!("1. Client #{client_id} created: {name}");

    let order = client
        .add_order(client_id, "mailin")
        .pid([1])
        .billingcycle(["monthly"])
        .await?;
    let &[service_id] = order.serviceids.as_slice() else {
        return Err(format!(
            "expected one service, the order created {:?}",
            order.serviceids
        )
        .into());
    };
    let order_id = order.orderid;
    println!(
        "2. Order #{order_id} placed: service #{service_id}, invoice #{}",
        order.invoiceid.unwrap_or(0)
    );

    client.accept_order(order_id).await?;
    println!("3. Order #{order_id} accepted");

    let cancelled = client
        .add_cancel_request(service_id)
        .cancel_type(CancellationType::EndOfBillingPeriod)
        .reason("Moving to a bigger plan")
        .await?;
    println!(
        "4. Cancellation requested for service #{} (client #{})",
        cancelled.serviceid.unwrap_or(0),
        cancelled.userid.unwrap_or(0)
    );

    match client
        .add_cancel_request(service_id)
        .cancel_type(CancellationType::Immediate)
        .await
    {
        Err(Error::Api {
            error: AddCancelRequestError::ExistingCancellationRequestExists,
            ..
        }) => {
            println!(
                "5. Cancelling again is refused with a typed error: ExistingCancellationRequestExists"
            );
        }
        Ok(_) => println!("5. Unexpected: the second cancellation was accepted"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
