//! The embedded mock over HTTP: protocol rules, the stateful core flows with WHMCS's documented
//! errors, pagination across pages, and state kept across restarts.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use whmcs_api::{Client, Error, actions};
use whmcs_mock::{MockConfig, MockServer};

async fn new_client(client: &Client, email: &str) -> i64 {
    let added = client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Grace",
            lastname: "Hopper",
            email,
            address1: "1 Navy Way",
            city: "Arlington",
            state: "VA",
            postcode: "22201",
            country: "US",
            phonenumber: "+1.5555550100",
        })
        .await
        .expect("AddClient");
    added.clientid
}

/// Sends any action by name with wire-form parameters, as the CLI does.
async fn call(
    client: &Client,
    action: &str,
    params: Value,
) -> Result<Value, Error<whmcs_api::ErrorMessage>> {
    let Value::Object(map) = params else {
        panic!("params must be an object")
    };
    let info = whmcs_api::find_action(action).expect("known action");
    let prepared = info.prepare(map).expect("valid params");
    client.send_prepared(&prepared).await
}

fn api_message(r: Result<Value, Error<whmcs_api::ErrorMessage>>) -> String {
    match r {
        Err(Error::Api { error: e, .. }) => e.message,
        other => panic!("expected a WHMCS error, got {other:?}"),
    }
}

#[tokio::test]
async fn clients_are_added_listed_updated_closed_and_deleted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "grace@example.com").await;
    let details = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details");
    let c = details.client.expect("client object");
    assert_eq!(c.email.as_deref(), Some("grace@example.com"));
    assert_eq!(c.fullname.as_deref(), Some("Grace Hopper"));

    let again = client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "G",
            lastname: "H",
            email: "grace@example.com",
            address1: "a",
            city: "b",
            state: "c",
            postcode: "d",
            country: "US",
            phonenumber: "1",
        })
        .await;
    assert!(
        matches!(&again, Err(Error::Api { error: e, .. }) if e.to_string() == "A user already exists with that email address"),
        "{again:?}"
    );

    let listed = call(&client, "GetClients", json!({"search": "hopper"}))
        .await
        .expect("GetClients");
    assert_eq!(listed["totalresults"], 1);
    assert_eq!(listed["clients"]["client"][0]["id"], id);

    call(
        &client,
        "UpdateClient",
        json!({"clientid": id, "companyname": "Navy"}),
    )
    .await
    .expect("UpdateClient");
    let details = call(&client, "GetClientsDetails", json!({"clientid": id}))
        .await
        .expect("details");
    assert_eq!(details["client"]["companyname"], "Navy");

    call(&client, "CloseClient", json!({"clientid": id}))
        .await
        .expect("CloseClient");
    let order = call(
        &client,
        "AddOrder",
        json!({"clientid": id, "paymentmethod": "mailin", "pid": [1]}),
    )
    .await;
    assert_eq!(
        api_message(order),
        "Unable to add order when client status is Closed"
    );

    call(&client, "DeleteClient", json!({"clientid": id}))
        .await
        .expect("DeleteClient");
    assert_eq!(
        api_message(call(&client, "GetClientsDetails", json!({"clientid": id})).await),
        "Client Not Found"
    );
    assert_eq!(
        api_message(call(&client, "DeleteClient", json!({"clientid": id})).await),
        "Client ID Not Found"
    );
}

#[tokio::test]
async fn orders_create_services_and_module_actions_change_their_status() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "ops@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1, 1])
        .domain(["a.example", "b.example"])
        .await
        .expect("order");
    let services = order.serviceids.clone();
    assert_eq!(services.len(), 2);
    let invoice = order.invoiceid.expect("invoice");

    let orders = call(&client, "GetOrders", json!({"userid": id}))
        .await
        .expect("GetOrders");
    assert_eq!(orders["orders"]["order"][0]["status"], "Pending");
    assert_eq!(orders["orders"]["order"][0]["invoiceid"], invoice);

    let order_id = order.orderid;
    client.accept_order(order_id).await.expect("accept");
    assert_eq!(
        api_message(call(&client, "AcceptOrder", json!({"orderid": order_id})).await),
        "Order ID not found or Status not Pending"
    );

    let status = |products: &Value, sid: i64| {
        products["products"]["product"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["id"] == sid))
            .map(|p| p["status"].clone())
    };
    let products = call(&client, "GetClientsProducts", json!({"clientid": id}))
        .await
        .expect("products");
    assert_eq!(products["totalresults"], 2);
    assert_eq!(status(&products, services[0]), Some(json!("Active")));

    for (action, expected) in [
        ("ModuleSuspend", "Suspended"),
        ("ModuleUnsuspend", "Active"),
        ("ModuleTerminate", "Terminated"),
    ] {
        call(&client, action, json!({"serviceid": services[0]}))
            .await
            .expect(action);
        let products = call(
            &client,
            "GetClientsProducts",
            json!({"serviceid": services[0]}),
        )
        .await
        .expect("products");
        assert_eq!(
            status(&products, services[0]),
            Some(json!(expected)),
            "{action}"
        );
    }
    assert_eq!(
        api_message(call(&client, "ModuleSuspend", json!({"serviceid": 999_999})).await),
        "Service ID not found"
    );
    assert_eq!(
        api_message(
            call(
                &client,
                "AddOrder",
                json!({"clientid": 424_242, "paymentmethod": "mailin", "pid": [1]})
            )
            .await
        ),
        "Client ID Not Found"
    );
}

#[tokio::test]
async fn cancellations_are_recorded_once() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "cancel@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("order");
    let sid = order.serviceids[0];
    client
        .add_cancel_request(sid)
        .reason("too slow")
        .await
        .expect("first cancel");
    let second = client.add_cancel_request(sid).await;
    assert!(
        matches!(
            second,
            Err(Error::Api {
                error: actions::AddCancelRequestError::ExistingCancellationRequestExists,
                ..
            })
        ),
        "{second:?}"
    );
    let packages = call(&client, "GetCancelledPackages", json!({}))
        .await
        .expect("packages");
    assert_eq!(packages["totalresults"], 1);
    assert_eq!(packages["packages"]["package"][0]["relid"], sid);
    assert_eq!(packages["packages"]["package"][0]["reason"], "too slow");
}

#[tokio::test]
async fn invoices_are_created_paid_and_updated() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "billing@example.com").await;
    let created = call(&client, "CreateInvoice", json!({"userid": id, "itemdescription1": "Hosting", "itemamount1": "15.95", "itemtaxed1": "0", "itemdescription2": "Setup", "itemamount2": "4.05"}))
        .await
        .expect("CreateInvoice");
    let inv = created["invoiceid"].as_i64().expect("invoice id");
    let invoice = client.get_invoice(inv).await.expect("GetInvoice");
    assert_eq!(
        invoice.total.map(|t| t.to_string()).as_deref(),
        Some("20.00")
    );
    assert_eq!(
        invoice.status.as_ref().map(|s| s.to_string()).as_deref(),
        Some("Unpaid")
    );

    call(&client, "AddInvoicePayment", json!({"invoiceid": inv, "transid": "T-1", "gateway": "mailin", "date": "2026-01-02 10:00:00", "amount": "20.00"})).await.expect("payment");
    let paid = call(&client, "GetInvoice", json!({"invoiceid": inv}))
        .await
        .expect("GetInvoice");
    assert_eq!(paid["status"], "Paid");
    assert_eq!(paid["balance"], "0.00");
    assert_eq!(paid["datepaid"], "2026-01-02 10:00:00");

    call(
        &client,
        "UpdateInvoice",
        json!({"invoiceid": inv, "status": "Cancelled"}),
    )
    .await
    .expect("UpdateInvoice");
    let refused = call(&client, "AddInvoicePayment", json!({"invoiceid": inv, "transid": "T-2", "gateway": "mailin", "date": "2026-01-02 10:00:00"})).await;
    assert_eq!(
        api_message(refused),
        "It is not possible to add a payment to an invoice that is Cancelled"
    );
    assert_eq!(
        api_message(call(&client, "GetInvoice", json!({"invoiceid": 777_777})).await),
        "Invoice ID Not Found"
    );
}

#[tokio::test]
async fn tickets_are_opened_listed_and_replied_to() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "help@example.com").await;
    let opened = call(&client, "OpenTicket", json!({"deptid": 1, "subject": "Down", "message": "Site is down", "clientid": id, "priority": "High"})).await.expect("OpenTicket");
    let ticket = opened["id"].as_i64().expect("ticket id");
    call(
        &client,
        "AddTicketReply",
        json!({"ticketid": ticket, "message": "Looking into it", "adminusername": "admin"}),
    )
    .await
    .expect("reply");
    let got = call(&client, "GetTicket", json!({"ticketid": ticket}))
        .await
        .expect("GetTicket");
    assert_eq!(got["subject"], "Down");
    assert_eq!(got["status"], "Answered");
    assert_eq!(got["replies"]["reply"].as_array().map(Vec::len), Some(2));
    let listed = call(&client, "GetTickets", json!({"clientid": id}))
        .await
        .expect("GetTickets");
    assert_eq!(listed["totalresults"], 1);
    assert_eq!(listed["tickets"]["ticket"][0]["tid"], opened["tid"]);
    assert_eq!(
        api_message(
            call(
                &client,
                "AddTicketReply",
                json!({"ticketid": 5_555, "message": "x"})
            )
            .await
        ),
        "Ticket ID not found"
    );
    assert_eq!(
        api_message(
            call(
                &client,
                "OpenTicket",
                json!({"deptid": 1, "subject": "s", "message": "m"})
            )
            .await
        ),
        "Name and email address are required if not a client"
    );
}

#[tokio::test]
async fn pagination_yields_every_row_exactly_once() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let id = new_client(&client, "pages@example.com").await;
    let mut created = BTreeSet::new();
    for n in 0..23 {
        let r = call(
            &client,
            "CreateInvoice",
            json!({"userid": id, "itemdescription1": format!("Item {n}"), "itemamount1": "1.00"}),
        )
        .await
        .expect("CreateInvoice");
        created.insert(r["invoiceid"].as_i64().expect("id"));
    }
    for size in [1, 7, 100] {
        let before = mock.requests().len();
        let all = client
            .get_invoices()
            .userid(id)
            .pages(size)
            .collect()
            .await
            .expect("pages");
        let ids: Vec<i64> = all.iter().map(|i| i.id.expect("id")).collect();
        let unique: BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(ids.len(), 23, "page size {size}");
        assert_eq!(unique, created, "page size {size}");
        // One request per page: the last one is short, or the total says it was the last.
        let pages = 23usize.div_ceil(size as usize);
        assert_eq!(mock.requests().len() - before, pages, "page size {size}");
    }
}

#[tokio::test]
async fn protocol_rules_are_enforced() {
    let mock = MockServer::start().await.expect("mock");
    let http = reqwest_like_post(
        &mock.url(),
        &[
            ("action", "GetInvoices"),
            ("identifier", "nope"),
            ("secret", "nope"),
        ],
    )
    .await;
    assert_eq!(http.0, 403);
    assert_eq!(
        http.1,
        json!({"result": "error", "message": "Authentication Failed"})
    );
    let creds = [
        ("identifier", mock.identifier().to_string()),
        ("secret", mock.secret().to_string()),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut v: Vec<(String, String)> = creds
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        v.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        v
    };
    let r = post(&mock.url(), &with(&[("action", "NoSuchThing")])).await;
    assert_eq!(r.1["message"], "Command Not Found");
    let r = post(&mock.url(), &with(&[("action", "AddCancelRequest")])).await;
    assert!(
        r.1["message"].as_str().unwrap_or("").contains("serviceid"),
        "{}",
        r.1
    );
    let r = post(
        &mock.url(),
        &with(&[
            ("action", "AddCancelRequest"),
            ("serviceid", "1"),
            ("type", "Tomorrow"),
        ]),
    )
    .await;
    assert!(
        r.1["message"].as_str().unwrap_or("").contains("Tomorrow"),
        "{}",
        r.1
    );
    // identifier/secret may also come as username/password.
    let r = post(
        &mock.url(),
        &[
            ("action".into(), "GetInvoices".into()),
            ("username".into(), mock.identifier().into()),
            ("password".into(), mock.secret().into()),
        ],
    )
    .await;
    assert_eq!(r.1["result"], "success");
}

async fn reqwest_like_post(url: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    post(
        url,
        &pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>(),
    )
    .await
}

/// A raw form POST, as any HTTP client would send it.
async fn post(url: &str, pairs: &[(String, String)]) -> (u16, Value) {
    let mut form = whmcs_api::Form::new();
    for (k, v) in pairs {
        form.pair(k, v);
    }
    let body = form.into_string();
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "POST /includes/api.php HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = text
        .split("\r\n\r\n")
        .nth(1)
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    let dir = std::env::temp_dir().join(format!("whmcs-mock-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let config = || MockConfig {
        state_file: Some(file.clone()),
        ..MockConfig::default()
    };
    let id = {
        let mock = MockServer::start_with(config()).await.expect("mock");
        new_client(&mock.client().expect("client"), "kept@example.com").await
    };
    assert!(file.exists());
    assert!(
        !dir.join("state.tmp").exists(),
        "the temporary file is renamed into place"
    );
    let mock = MockServer::start_with(config()).await.expect("mock");
    let details = mock
        .client()
        .expect("client")
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details after restart");
    assert_eq!(
        details.client.and_then(|c| c.email).as_deref(),
        Some("kept@example.com")
    );
    std::fs::write(&file, "not json").expect("write");
    assert!(
        MockServer::start_with(config()).await.is_err(),
        "a corrupt state file is an error, not a silent reset"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_listing_action_can_be_paged() {
    fn paged<A: whmcs_api::Paged>() -> &'static str {
        <A as whmcs_api::Action>::INFO.name()
    }
    let names = [
        paged::<actions::GetAffiliates>(),
        paged::<actions::GetInvoices>(),
        paged::<actions::GetQuotes>(),
        paged::<actions::GetCancelledPackages>(),
        paged::<actions::GetClients>(),
        paged::<actions::GetClientsDomains>(),
        paged::<actions::GetClientsProducts>(),
        paged::<actions::GetContacts>(),
        paged::<actions::GetEmails>(),
        paged::<actions::GetOrders>(),
        paged::<actions::GetProjects>(),
        paged::<actions::GetAnnouncements>(),
        paged::<actions::GetActivityLog>(),
        paged::<actions::GetToDoItems>(),
        paged::<actions::GetTickets>(),
        paged::<actions::GetUsers>(),
    ];
    let listed: BTreeSet<&str> = actions::ALL
        .iter()
        .filter(|i| i.paged())
        .map(|i| i.name())
        .collect();
    assert_eq!(names.iter().copied().collect::<BTreeSet<_>>(), listed);
}

#[tokio::test]
async fn encrypted_passwords_decrypt_to_what_was_encrypted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let sealed = client
        .encrypt_password("s3cr\u{e9}t pass")
        .await
        .expect("encrypt")
        .password
        .expect("password");
    assert!(!sealed.contains("s3cr"), "{sealed}");
    let opened = client.decrypt_password(sealed).await.expect("decrypt");
    assert_eq!(
        opened.password.map(|p| p.expose().to_string()).as_deref(),
        Some("s3cr\u{e9}t pass")
    );
}
