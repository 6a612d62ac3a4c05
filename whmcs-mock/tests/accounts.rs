//! Accounts against the mock, over HTTP with the typed client: clients and their contacts,
//! notes and groups, users (one owner per client, permissions, invitations, logins checked
//! against a salted hash, password resets, single sign-on), affiliates and OAuth credentials.
//! One test per rule.

use serde_json::{Value, json};
use whmcs_api::actions::{
    AddClientError, AddClientNoteError, AddClientRequired, AddContactError, AddUserError,
    AddUserRequired, AffiliateActivateError, ClientStatus, CreateClientInviteError,
    CreateOAuthCredentialError, CreateSsoTokenError, DeleteContactError, DeleteUserClientError,
    EmailPreferences, GetClientPasswordError, GetClientsDetailsError, GetClientsOrderby,
    GetUserPermissionsError, InvoiceStatus, OAuthGrantType, ResetPasswordError, ServiceStatus,
    SortOrder, UpdateClientError, UpdateContactError, UpdateOAuthCredentialError, UpdateUserError,
    UpdateUserPermissionsError, ValidateLoginError,
};
use whmcs_api::{Client, Decimal};
use whmcs_mock::MockServer;

mod common;
use common::{api_error, mail_subjects, raw, start};

/// Adds a client named `first last` with `email`; returns its id.
async fn add_client(client: &Client, first: &str, last: &str, email: &str) -> i64 {
    client
        .add_client(AddClientRequired {
            firstname: first,
            lastname: last,
            email,
            address1: "1 Main Street",
            city: "Springfield",
            state: "OR",
            postcode: "97477",
            country: "US",
            phonenumber: "+1.5415550100",
        })
        .await
        .expect("AddClient")
        .clientid
}

/// Adds a user with a password; returns its id.
async fn add_user(client: &Client, email: &str, password: &str) -> i64 {
    client
        .add_user(AddUserRequired {
            firstname: "Uma",
            lastname: "User",
            email,
            password2: password,
        })
        .await
        .expect("AddUser")
        .user_id
}

/// Links `user` to `client` as a user who is not its owner, as an accepted invitation does
/// (accepting happens in the client area, which the API does not reach).
fn link_user(mock: &MockServer, user: i64, client: i64) {
    let mut state = mock.snapshot();
    let clients = &mut state["clients"]["users"]["rows"][user.to_string()]["clients"];
    clients
        .as_array_mut()
        .expect("user's clients")
        .push(json!(client));
    mock.seed(state).expect("seed");
}

#[tokio::test]
async fn add_client_creates_its_owner_user_listed_by_get_users() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let users = client.get_users().await.expect("GetUsers");
    assert_eq!(users.totalresults, Some(1));
    let user = &users.users[0];
    assert_eq!(user.email.as_deref(), Some("grace@example.com"));
    assert_eq!(user.clients.len(), 1);
    assert_eq!(user.clients[0].id, Some(id));
    assert_eq!(user.clients[0].is_owner, Some(true));

    let details = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details");
    let c = details.client.expect("client");
    assert_eq!(c.owner_user_id, user.id);
    assert_eq!(c.users.len(), 1);
    assert_eq!(c.users[0].is_owner, Some(true));
}

#[tokio::test]
async fn add_client_under_an_existing_user_makes_it_the_owner() {
    let (_mock, client) = start().await;
    let user = add_user(&client, "owner@example.com", "s3cret!").await;
    let id = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "billing@example.com",
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .owner_user_id(user)
        .await
        .expect("AddClient")
        .clientid;
    let users = client.get_users().await.expect("GetUsers");
    assert_eq!(users.totalresults, Some(1), "no second user is created");
    assert_eq!(users.users[0].clients[0].id, Some(id));
    assert_eq!(users.users[0].clients[0].is_owner, Some(true));

    let unknown = client
        .add_client(AddClientRequired {
            firstname: "B",
            lastname: "C",
            email: "b@example.com",
            address1: "a",
            city: "b",
            state: "c",
            postcode: "d",
            country: "US",
            phonenumber: "1",
        })
        .owner_user_id(99)
        .await;
    assert_eq!(api_error(unknown), AddClientError::InvalidOwnerUserId);
}

#[tokio::test]
async fn add_client_refuses_an_invalid_email_or_country() {
    let (_mock, client) = start().await;
    let base = |email, country| AddClientRequired {
        firstname: "A",
        lastname: "B",
        email,
        address1: "a",
        city: "b",
        state: "c",
        postcode: "d",
        country,
        phonenumber: "1",
    };
    let e = client.add_client(base("not-an-address", "US")).await;
    assert_eq!(api_error(e), AddClientError::EmailInvalid);
    let e = client.add_client(base("a@example.com", "USA")).await;
    assert_eq!(api_error(e), AddClientError::ValidCountryRequired);
    let listed = client.get_clients().await.expect("GetClients");
    assert_eq!(listed.totalresults, Some(0));
}

#[tokio::test]
async fn get_clients_searches_prefixes_filters_sorts_and_pages() {
    let (_mock, client) = start().await;
    let grace = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let alan = add_client(&client, "Alan", "Turing", "alan@example.com").await;
    let ada = add_client(&client, "Ada", "Lovelace", "ada@navy.example").await;

    let found = client.get_clients().search("hop").await.expect("search");
    assert_eq!(found.totalresults, Some(1));
    assert_eq!(found.clients[0].id, Some(grace));
    let inside = client.get_clients().search("opper").await.expect("search");
    assert_eq!(
        inside.totalresults,
        Some(0),
        "search matches the start of a field only"
    );
    let full = client
        .get_clients()
        .search("alan tur")
        .await
        .expect("fullname");
    assert_eq!(full.clients.first().and_then(|c| c.id), Some(alan));

    let by_first = client.get_clients().await.expect("all");
    let ids: Vec<_> = by_first.clients.iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, [ada, alan, grace], "first name order by default");
    let by_last = client
        .get_clients()
        .orderby(GetClientsOrderby::Lastname)
        .sorting(SortOrder::Desc)
        .await
        .expect("sorted");
    let ids: Vec<_> = by_last.clients.iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, [alan, ada, grace]);

    let page = client
        .get_clients()
        .orderby(GetClientsOrderby::Id)
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(3));
    assert_eq!(page.startnumber, Some(1));
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.clients[0].id, Some(alan));

    client.close_client(alan).await.expect("close");
    let closed = client
        .get_clients()
        .status(ClientStatus::Closed)
        .await
        .expect("closed");
    assert_eq!(closed.totalresults, Some(1));
    assert_eq!(closed.clients[0].id, Some(alan));
}

#[tokio::test]
async fn get_clients_details_finds_by_email_and_derives_stats_from_state() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let by_email = client
        .get_clients_details()
        .email("GRACE@example.com")
        .await
        .expect("by email");
    assert_eq!(by_email.client.and_then(|c| c.id), Some(id));

    client
        .create_invoice(id)
        .items([
            whmcs_api::actions::billing::create_invoice::InvoiceItem::new(
                "Work",
                Decimal::new(4000, 2),
            ),
        ])
        .await
        .expect("invoice");
    client
        .add_credit(id, "goodwill", Decimal::new(500, 2))
        .await
        .expect("credit");
    client.affiliate_activate(id).await.expect("affiliate");
    let stats = client
        .get_clients_details()
        .clientid(id)
        .stats(true)
        .await
        .expect("stats")
        .stats
        .expect("stats block");
    assert_eq!(stats.numunpaidinvoices, Some(1));
    assert_eq!(stats.unpaidinvoicesamount.as_deref(), Some("$40.00 USD"));
    assert_eq!(stats.creditbalance.as_deref(), Some("$5.00 USD"));
    assert_eq!(stats.incredit, Some(true));
    assert_eq!(stats.is_affiliate, Some(true));

    let missing = client.get_clients_details().clientid(77).await;
    assert_eq!(api_error(missing), GetClientsDetailsError::ClientNotFound);
}

#[tokio::test]
async fn update_client_changes_only_what_is_sent_and_refuses_taken_addresses() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    add_client(&client, "Alan", "Turing", "alan@example.com").await;
    client
        .update_client()
        .clientemail("grace@example.com")
        .companyname("Navy")
        .taxexempt(true)
        .await
        .expect("by email");
    let c = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_eq!(c.companyname.as_deref(), Some("Navy"));
    assert_eq!(c.taxexempt, Some(true));
    assert_eq!(c.firstname.as_deref(), Some("Grace"), "untouched");

    let taken = client
        .update_client()
        .clientid(id)
        .email("alan@example.com")
        .await;
    assert_eq!(api_error(taken), UpdateClientError::DuplicateEmailAddress);
    let invalid = client.update_client().clientid(id).email("nope").await;
    assert_eq!(api_error(invalid), UpdateClientError::InvalidEmailAddress);
    let unknown = client.update_client().clientid(99).await;
    assert_eq!(api_error(unknown), UpdateClientError::ClientNotFound);
}

#[tokio::test]
async fn delete_client_removes_everything_it_had() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let other = add_client(&client, "Alan", "Turing", "alan@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("order");
    let invoice = order.invoiceid.expect("invoice");
    client
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid: invoice,
            transid: "T-1",
            gateway: "mailin",
            date: whmcs_api::DateTime::new(mock.today(), 9, 0, 0).expect("time"),
        })
        .await
        .expect("payment");
    client
        .add_contact(id)
        .email("c@example.com")
        .await
        .expect("contact");
    client.add_client_note(id, "VIP").await.expect("note");
    client
        .add_credit(id, "gift", Decimal::TEN)
        .await
        .expect("credit");
    client
        .create_quote("Offer", whmcs_api::actions::QuoteStage::Draft, "2026-02-01")
        .userid(id)
        .await
        .expect("quote");
    client.affiliate_activate(id).await.expect("affiliate");
    client
        .add_pay_method(id)
        .card_number("4111111111111111")
        .card_expiry("1230")
        .await
        .expect("card");
    client
        .open_ticket(1, "Help", "Please")
        .clientid(id)
        .await
        .expect("ticket");

    client
        .delete_client(id)
        .deleteusers(true)
        .await
        .expect("delete");

    let gone = client.get_clients_details().clientid(id).await;
    assert_eq!(api_error(gone), GetClientsDetailsError::ClientNotFound);
    let contacts = client.get_contacts().userid(id).await.expect("contacts");
    assert_eq!(contacts.totalresults, Some(0));
    let invoices = client.get_invoices().userid(id).await.expect("invoices");
    assert_eq!(invoices.totalresults, Some(0));
    let products = client
        .get_clients_products()
        .clientid(id)
        .await
        .expect("products");
    assert_eq!(products.totalresults, Some(0));
    let quotes = client.get_quotes().userid(id).await.expect("quotes");
    assert_eq!(quotes.totalresults, Some(0));
    let affiliates = client.get_affiliates().await.expect("affiliates");
    assert_eq!(affiliates.totalresults, Some(0));
    let tickets = client.get_tickets().clientid(id).await.expect("tickets");
    assert_eq!(tickets.totalresults, Some(0));
    let state = mock.snapshot();
    assert_eq!(state["billing"]["paymethods"]["rows"], json!({}));
    assert_eq!(state["billing"]["credits"]["rows"], json!({}));
    assert_eq!(state["clients"]["notes"]["rows"], json!({}));
    let transactions = client
        .get_transactions()
        .clientid(id)
        .await
        .expect("transactions");
    assert_eq!(
        transactions.totalresults,
        Some(1),
        "transactions stay unless asked"
    );
    let users = client.get_users().await.expect("users");
    assert_eq!(users.totalresults, Some(1), "the orphaned owner went too");
    assert_eq!(users.users[0].clients[0].id, Some(other));

    client
        .delete_client(other)
        .deletetransactions(true)
        .await
        .expect("delete other");
    let users = client.get_users().await.expect("users");
    assert_eq!(users.totalresults, Some(1), "kept without deleteusers");
    assert!(users.users[0].clients.is_empty());
}

#[tokio::test]
async fn close_client_cancels_unpaid_invoices_and_services() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("order");
    client.accept_order(order.orderid).await.expect("accept");
    let paid = client
        .create_invoice(id)
        .items([
            whmcs_api::actions::billing::create_invoice::InvoiceItem::new("Setup", Decimal::ONE),
        ])
        .await
        .expect("invoice")
        .invoiceid;
    client
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid: paid,
            transid: "T-9",
            gateway: "mailin",
            date: whmcs_api::DateTime::new(mock.today(), 9, 0, 0).expect("time"),
        })
        .await
        .expect("payment");

    client.close_client(id).await.expect("close");

    let c = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_eq!(c.status, Some(ClientStatus::Closed));
    let unpaid = client
        .get_invoice(order.invoiceid.expect("order invoice"))
        .await
        .expect("invoice");
    assert_eq!(unpaid.status, Some(InvoiceStatus::Cancelled));
    let kept = client.get_invoice(paid).await.expect("paid invoice");
    assert_eq!(kept.status, Some(InvoiceStatus::Paid));
    let products = client
        .get_clients_products()
        .clientid(id)
        .await
        .expect("products");
    assert_eq!(products.products[0].status, Some(ServiceStatus::Cancelled));
}

#[tokio::test]
async fn contacts_are_added_listed_updated_and_deleted() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let first = client
        .add_contact(id)
        .firstname("Ada")
        .email("ada@example.com")
        .await
        .expect("contact")
        .contactid;
    let second = client
        .add_contact(id)
        .firstname("Alan")
        .await
        .expect("contact")
        .contactid;
    assert_eq!(
        (first, second),
        (1, 2),
        "contacts are numbered in their own table"
    );

    let listed = client.get_contacts().userid(id).await.expect("contacts");
    assert_eq!(listed.totalresults, Some(2));
    assert_eq!(listed.contacts[0].email.as_deref(), Some("ada@example.com"));

    client
        .update_contact(first)
        .city("Paris")
        .await
        .expect("update");
    let one = client
        .get_contacts()
        .email("ada@example.com")
        .await
        .expect("by email");
    assert_eq!(one.contacts[0].city.as_deref(), Some("Paris"));
    assert_eq!(one.contacts[0].firstname.as_deref(), Some("Ada"));

    client.delete_contact(first).await.expect("delete");
    let left = client.get_contacts().userid(id).await.expect("contacts");
    assert_eq!(left.totalresults, Some(1));
    assert_eq!(
        api_error(client.delete_contact(first).await),
        DeleteContactError::ContactNotFound
    );
    assert_eq!(
        api_error(client.update_contact(first).city("x").await),
        UpdateContactError::ContactNotFound
    );
    assert_eq!(
        api_error(client.add_contact(999).await),
        AddContactError::ClientNotFound
    );
}

#[tokio::test]
async fn contact_addresses_must_be_unique() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let taken = client.add_contact(id).email("grace@example.com").await;
    assert_eq!(api_error(taken), AddContactError::DuplicateEmailAddress);
    client
        .add_contact(id)
        .email("ada@example.com")
        .await
        .expect("contact");
    let other = client
        .add_contact(id)
        .email("alan@example.com")
        .await
        .expect("contact")
        .contactid;
    let clash = client.update_contact(other).email("ADA@example.com").await;
    assert_eq!(api_error(clash), UpdateContactError::DuplicateEmailAddress);
}

#[tokio::test]
async fn get_contacts_filters_on_each_field_and_pages() {
    let (_mock, client) = start().await;
    let a = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let b = add_client(&client, "Alan", "Turing", "alan@example.com").await;
    for (owner, city) in [(a, "Paris"), (a, "Rome"), (b, "Paris"), (a, "Paris")] {
        client.add_contact(owner).city(city).await.expect("contact");
    }
    let paris = client.get_contacts().city("paris").await.expect("paris");
    assert_eq!(paris.totalresults, Some(3));
    let mine = client
        .get_contacts()
        .userid(a)
        .city("Paris")
        .await
        .expect("a's");
    assert_eq!(mine.totalresults, Some(2));
    let page = client
        .get_contacts()
        .limitstart(2)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(4));
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.contacts[0].id, Some(3));
}

#[tokio::test]
async fn someone_must_keep_receiving_domain_email() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let off = EmailPreferences {
        domain: Some(false),
        ..Default::default()
    };
    let alone = client
        .update_client()
        .clientid(id)
        .email_preferences(off.clone())
        .await;
    assert_eq!(
        api_error(alone),
        UpdateClientError::DomainNotificationRecipientRequired
    );

    let contact = client
        .add_contact(id)
        .email_preferences(EmailPreferences {
            domain: Some(true),
            ..Default::default()
        })
        .await
        .expect("contact")
        .contactid;
    client
        .update_client()
        .clientid(id)
        .email_preferences(off.clone())
        .await
        .expect("the contact receives them now");
    let last = client.update_contact(contact).email_preferences(off).await;
    assert_eq!(
        api_error(last),
        UpdateContactError::DomainNotificationRecipientRequired
    );
    let c = client.get_contacts().userid(id).await.expect("contacts");
    assert_eq!(c.contacts[0].domainemails, Some(true), "unchanged");
}

#[tokio::test]
async fn client_notes_are_kept_per_client() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let n1 = client
        .add_client_note(id, "Prefers email")
        .sticky(true)
        .await
        .expect("note")
        .noteid;
    let n2 = client
        .add_client_note(id, "Second")
        .await
        .expect("note")
        .noteid;
    assert_eq!((n1, n2), (1, 2));
    let note = &mock.snapshot()["clients"]["notes"]["rows"]["1"];
    assert_eq!(note["note"], "Prefers email");
    assert_eq!(note["sticky"], true);
    assert_eq!(
        api_error(client.add_client_note(99, "x").await),
        AddClientNoteError::ClientNotFound
    );
    assert_eq!(
        api_error(client.add_client_note(id, "   ").await),
        AddClientNoteError::NotesEmpty
    );
}

#[tokio::test]
async fn client_groups_are_read_from_the_state() {
    let (mock, client) = start().await;
    let fresh = client.get_client_groups().await.expect("groups");
    assert_eq!(fresh.totalresults, Some(0), "a fresh install has none");
    let mut state = mock.snapshot();
    state["clients"]["groups"] = json!({"next": 2, "rows": {"1": {
        "groupname": "Resellers", "groupcolour": "#ff0000", "discountpercent": "10",
        "susptermexempt": true, "separateinvoices": false
    }}});
    mock.seed(state).expect("seed");
    let groups = client.get_client_groups().await.expect("groups");
    assert_eq!(groups.totalresults, Some(1));
    assert_eq!(groups.groups[0].groupname.as_deref(), Some("Resellers"));
    assert_eq!(groups.groups[0].susptermexempt.as_deref(), Some("on"));
    assert_eq!(groups.groups[0].discountpercent, Some(10.0));
}

#[tokio::test]
async fn users_are_added_listed_and_updated() {
    let (_mock, client) = start().await;
    let id = add_user(&client, "uma@example.com", "pw-1").await;
    let listed = client.get_users().search("uma@").await.expect("search");
    assert_eq!(listed.totalresults, Some(1));
    assert_eq!(listed.users[0].id, Some(id));
    assert!(listed.users[0].clients.is_empty());

    client
        .update_user(id)
        .firstname("Ursula")
        .await
        .expect("update");
    let listed = client.get_users().search("urs").await.expect("search");
    assert_eq!(listed.users[0].firstname.as_deref(), Some("Ursula"));
    assert_eq!(listed.users[0].lastname.as_deref(), Some("User"));

    assert_eq!(
        api_error(
            client
                .add_user(AddUserRequired {
                    firstname: "A",
                    lastname: "B",
                    email: "UMA@example.com",
                    password2: "x",
                })
                .await
        ),
        AddUserError::UserEmailExists
    );
    assert_eq!(
        api_error(
            client
                .add_user(AddUserRequired {
                    firstname: "A",
                    lastname: "B",
                    email: "nope",
                    password2: "x",
                })
                .await
        ),
        AddUserError::InvalidEmailAddress
    );
    let other = add_user(&client, "other@example.com", "pw").await;
    assert_eq!(
        api_error(client.update_user(other).email("uma@example.com").await),
        UpdateUserError::UserEmailExists
    );
    assert_eq!(
        api_error(client.update_user(99).firstname("x").await),
        UpdateUserError::InvalidUserId
    );
    assert_eq!(
        api_error(client.update_user(id).await),
        UpdateUserError::NothingToUpdate
    );
}

#[tokio::test]
async fn get_users_sorts_and_pages() {
    let (_mock, client) = start().await;
    for n in 1..=5 {
        add_user(&client, &format!("u{n}@example.com"), "pw").await;
    }
    let page = client
        .get_users()
        .sorting(SortOrder::Desc)
        .limitstart(1)
        .limitnum(2)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(5));
    assert_eq!(page.numreturned, Some(2));
    let ids: Vec<_> = page.users.iter().filter_map(|u| u.id).collect();
    assert_eq!(ids, [4, 3]);
}

#[tokio::test]
async fn permissions_are_set_per_client_for_users_other_than_the_owner() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let owner = client.get_users().await.expect("users").users[0]
        .id
        .expect("owner id");
    let list = client.get_permissions_list().await.expect("list");
    assert_eq!(list.permissions.len(), 13);

    let all = client
        .get_user_permissions(owner, id)
        .await
        .expect("owner's");
    assert_eq!(
        all.extra["permissions"].as_array().map(Vec::len),
        Some(13),
        "the owner may do everything"
    );
    assert_eq!(
        api_error(client.update_user_permissions(owner, id, "invoices").await),
        UpdateUserPermissionsError::CannotSetOwnerPermissions
    );

    let helper = add_user(&client, "helper@example.com", "pw").await;
    assert_eq!(
        api_error(client.get_user_permissions(helper, id).await),
        GetUserPermissionsError::UserNotAssociatedWithClient
    );
    link_user(&mock, helper, id);
    client
        .update_user_permissions(helper, id, "invoices, tickets")
        .await
        .expect("set");
    let got = client
        .get_user_permissions(helper, id)
        .await
        .expect("helper's");
    assert_eq!(got.extra["permissions"], json!(["invoices", "tickets"]));
    assert_eq!(
        api_error(client.update_user_permissions(helper, id, "bogus").await),
        UpdateUserPermissionsError::MissingPermissions
    );
    assert_eq!(
        api_error(client.get_user_permissions(99, id).await),
        GetUserPermissionsError::InvalidUserId
    );
    assert_eq!(
        api_error(client.get_user_permissions(helper, 99).await),
        GetUserPermissionsError::InvalidClientId
    );
}

#[tokio::test]
async fn invitations_are_kept_and_refused_for_users_already_on_the_account() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    assert_eq!(
        api_error(
            client
                .create_client_invite(id, "grace@example.com", "invoices")
                .await
        ),
        CreateClientInviteError::UserAlreadyAssociated
    );
    assert_eq!(
        api_error(client.create_client_invite(id, "bad", "invoices").await),
        CreateClientInviteError::InvalidEmailAddress
    );
    assert_eq!(
        api_error(
            client
                .create_client_invite(42, "new@example.com", "invoices")
                .await
        ),
        CreateClientInviteError::InvalidClientId
    );
    client
        .create_client_invite(id, "new@example.com", "invoices,quotes")
        .await
        .expect("invite");
    let invite = &mock.snapshot()["clients"]["invites"]["rows"]["1"];
    assert_eq!(invite["client"], id);
    assert_eq!(invite["email"], "new@example.com");
    assert_eq!(invite["permissions"], json!(["invoices", "quotes"]));
}

#[tokio::test]
async fn delete_user_client_unlinks_a_user_but_never_the_owner() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let owner = 1;
    let helper = add_user(&client, "helper@example.com", "pw").await;
    link_user(&mock, helper, id);
    assert_eq!(
        api_error(client.delete_user_client(owner, id).await),
        DeleteUserClientError::CannotRemoveAccountOwner
    );
    client.delete_user_client(helper, id).await.expect("unlink");
    let users = client.get_users().search("helper").await.expect("users");
    assert!(users.users[0].clients.is_empty());
    assert_eq!(
        api_error(client.delete_user_client(helper, id).await),
        DeleteUserClientError::UserNotAssociatedWithClient
    );
    assert_eq!(
        api_error(client.delete_user_client(99, id).await),
        DeleteUserClientError::InvalidUserId
    );
    assert_eq!(
        api_error(client.delete_user_client(helper, 99).await),
        DeleteUserClientError::InvalidClientId
    );
}

#[tokio::test]
async fn validate_login_checks_the_password_against_a_salted_hash() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let user = add_user(&client, "uma@example.com", "correct horse").await;
    let ok = client
        .validate_login("UMA@example.com", "correct horse")
        .await
        .expect("login");
    assert_eq!(ok.userid, Some(user));
    let token = ok.passwordhash.expect("session token");
    assert!(!token.expose().is_empty());
    assert_eq!(ok.two_factor_enabled.as_deref(), Some("false"));

    assert_eq!(
        api_error(client.validate_login("uma@example.com", "wrong").await),
        ValidateLoginError::EmailOrPasswordInvalid
    );
    assert_eq!(
        api_error(
            client
                .validate_login("nobody@example.com", "correct horse")
                .await
        ),
        ValidateLoginError::EmailOrPasswordInvalid
    );
    assert_eq!(
        api_error(client.validate_login("grace@example.com", "anything").await),
        ValidateLoginError::EmailOrPasswordInvalid,
        "a user created without a password cannot log in"
    );
    let state = mock.snapshot().to_string();
    assert!(
        !state.contains("correct horse"),
        "the password is never stored"
    );
    let stored = &mock.snapshot()["clients"]["users"]["rows"][user.to_string()]["password"];
    assert!(stored["salt"].as_str().is_some_and(|s| !s.is_empty()));

    // A client's owner logs in with the password AddClient was given; the login is recorded.
    let owned = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "ada@example.com",
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .password2("engine")
        .await
        .expect("client")
        .clientid;
    client
        .validate_login("ada@example.com", "engine")
        .await
        .expect("owner login");
    let c = client
        .get_clients_details()
        .clientid(owned)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_ne!(c.lastlogin.as_deref(), Some("No Login Logged"));
    let never = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details")
        .client
        .expect("client");
    assert_eq!(never.lastlogin.as_deref(), Some("No Login Logged"));
}

#[tokio::test]
async fn reset_password_finds_the_user_by_id_or_email() {
    let (mock, client) = start().await;
    let user = add_user(&client, "uma@example.com", "pw").await;
    client
        .reset_password()
        .email("uma@example.com")
        .await
        .expect("by email");
    assert!(
        mock.snapshot()["clients"]["users"]["rows"][user.to_string()]["reset_requested"]
            .is_string()
    );
    client.reset_password().id(user).await.expect("by id");
    assert_eq!(
        api_error(client.reset_password().id(99).await),
        ResetPasswordError::UserNotFound
    );
    assert_eq!(
        api_error(client.reset_password().email("who@example.com").await),
        ResetPasswordError::UserNotFound
    );
    assert_eq!(
        api_error(client.reset_password().email("nope").await),
        ResetPasswordError::InvalidEmailAddress
    );
    assert_eq!(
        api_error(client.reset_password().await),
        ResetPasswordError::EmailOrIdRequired
    );
}

#[tokio::test]
async fn sso_tokens_are_issued_only_for_existing_clients_and_their_users() {
    let (_mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let stranger = add_user(&client, "stranger@example.com", "pw").await;

    let token = client
        .create_sso_token()
        .client_id(id)
        .destination("clientarea:invoices")
        .await
        .expect("token");
    let access = token.access_token.expose().to_string();
    assert!(!access.is_empty());
    let url = token.redirect_url.expect("url");
    assert!(url.expose().ends_with(&format!("access_token={access}")));
    let again = client
        .create_sso_token()
        .client_id(id)
        .await
        .expect("token");
    assert_ne!(
        again.access_token.expose(),
        access,
        "single use: each is new"
    );
    client
        .create_sso_token()
        .user_id(stranger)
        .await
        .expect("a user alone");

    assert_eq!(
        api_error(client.create_sso_token().client_id(99).await),
        CreateSsoTokenError::InvalidClientId
    );
    assert_eq!(
        api_error(client.create_sso_token().user_id(99).await),
        CreateSsoTokenError::InvalidUserId
    );
    assert_eq!(
        api_error(
            client
                .create_sso_token()
                .client_id(id)
                .user_id(stranger)
                .await
        ),
        CreateSsoTokenError::UserNotOfClient
    );
    assert_eq!(
        api_error(client.create_sso_token().await),
        CreateSsoTokenError::ClientOrUserIdRequired
    );
    assert_eq!(
        api_error(
            client
                .create_sso_token()
                .client_id(id)
                .destination("clientarea:nowhere")
                .await
        ),
        CreateSsoTokenError::InvalidDestination
    );
}

#[tokio::test]
async fn get_client_password_answers_the_hash_never_the_password() {
    let (_mock, client) = start().await;
    let id = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "ada@example.com",
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .password2("engine")
        .await
        .expect("client")
        .clientid;
    let hash = client
        .get_client_password()
        .userid(id)
        .await
        .expect("hash")
        .password
        .expect("password");
    assert!(!hash.expose().is_empty());
    assert!(!hash.expose().contains("engine"));
    assert_eq!(
        api_error(client.get_client_password().userid(99).await),
        GetClientPasswordError::ClientNotFound
    );
}

#[tokio::test]
async fn affiliates_are_activated_once_and_listed() {
    let (_mock, client) = start().await;
    let a = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let b = add_client(&client, "Alan", "Turing", "alan@example.com").await;
    client.affiliate_activate(a).await.expect("activate");
    client.affiliate_activate(a).await.expect("again");
    client.affiliate_activate(b).await.expect("activate");
    let all = client.get_affiliates().await.expect("list");
    assert_eq!(all.totalresults, Some(2), "one account per client");
    let mine = client.get_affiliates().userid(b).await.expect("b's");
    assert_eq!(mine.totalresults, Some(1));
    assert_eq!(mine.affiliates[0].clientid, Some(b));
    assert_eq!(mine.affiliates[0].balance, Some(Decimal::ZERO));
    let page = client
        .get_affiliates()
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.affiliates[0].clientid, Some(b));
    assert_eq!(
        api_error(client.affiliate_activate(99).await),
        AffiliateActivateError::ClientIdNotFound
    );
}

#[tokio::test]
async fn oauth_credentials_are_created_listed_updated_and_deleted() {
    let (_mock, client) = start().await;
    let created = client
        .create_oauth_credential(OAuthGrantType::AuthorizationCode, "openid email")
        .name("Portal")
        .await
        .expect("create");
    let id = created.credential_id;
    let secret = created.client_secret.expect("secret");
    let listed = client.list_oauth_credentials().await.expect("list");
    assert_eq!(listed.clients.len(), 1);
    let row = &listed.clients[0];
    assert_eq!(row.credential_id, Some(id));
    assert_eq!(row.name.as_deref(), Some("Portal"));
    assert_eq!(row.client_identifier, created.client_identifier);
    assert_eq!(row.client_secret.as_ref(), Some(&secret));

    let updated = client
        .update_oauth_credential(id)
        .name("Portal 2")
        .reset_secret(true)
        .await
        .expect("update");
    let fresh = updated.new_client_secret.expect("new secret");
    assert_ne!(fresh, secret);
    let listed = client.list_oauth_credentials().await.expect("list");
    assert_eq!(listed.clients[0].name.as_deref(), Some("Portal 2"));
    assert_eq!(listed.clients[0].client_secret.as_ref(), Some(&fresh));

    client.delete_oauth_credential(id).await.expect("delete");
    assert!(
        client
            .list_oauth_credentials()
            .await
            .expect("list")
            .clients
            .is_empty()
    );
    assert_eq!(
        api_error(client.update_oauth_credential(id).name("x").await),
        UpdateOAuthCredentialError::InvalidCredentialId
    );
    assert_eq!(
        api_error(client.delete_oauth_credential(id).await),
        whmcs_api::actions::DeleteOAuthCredentialError::InvalidCredentialId
    );
}

#[tokio::test]
async fn oauth_credentials_need_a_name_known_scopes_and_a_real_service() {
    let (_mock, client) = start().await;
    let unnamed = client
        .create_oauth_credential(OAuthGrantType::AuthorizationCode, "openid")
        .await;
    assert_eq!(
        api_error(unnamed),
        CreateOAuthCredentialError::CredentialNameRequired
    );
    let scope = client
        .create_oauth_credential(OAuthGrantType::AuthorizationCode, "openid everything")
        .name("x")
        .await;
    assert_eq!(
        api_error(scope),
        CreateOAuthCredentialError::InvalidScope {
            scope: "everything".into()
        }
    );
    let no_service = client
        .create_oauth_credential(OAuthGrantType::SingleSignOn, "clientarea:sso")
        .await;
    assert_eq!(
        api_error(no_service),
        CreateOAuthCredentialError::SsoServiceIdRequired
    );
    let unknown = client
        .create_oauth_credential(OAuthGrantType::SingleSignOn, "clientarea:sso")
        .service_id(5)
        .await;
    assert_eq!(
        api_error(unknown),
        CreateOAuthCredentialError::InvalidServiceId
    );

    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let order = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("order");
    client
        .create_oauth_credential(OAuthGrantType::SingleSignOn, "clientarea:sso")
        .service_id(order.serviceids[0])
        .await
        .expect("sso credential");
    client
        .create_oauth_credential(OAuthGrantType::AuthorizationCode, "openid")
        .name("App")
        .await
        .expect("app");
    let sso = client
        .list_oauth_credentials()
        .grant_type(OAuthGrantType::SingleSignOn)
        .await
        .expect("filtered");
    assert_eq!(sso.clients.len(), 1);
    assert_eq!(sso.clients[0].service_id, Some(order.serviceids[0]));
    let newest = client
        .list_oauth_credentials()
        .sort_order(SortOrder::Desc)
        .limit(1)
        .await
        .expect("newest");
    assert_eq!(newest.clients.len(), 1);
    assert_eq!(newest.clients[0].name.as_deref(), Some("App"));
}

#[tokio::test]
async fn every_write_is_in_the_activity_log() {
    let (mock, client) = start().await;
    let id = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let before = mock.snapshot()["activity"].as_array().map_or(0, Vec::len);
    client.add_contact(id).await.expect("contact");
    client.add_client_note(id, "n").await.expect("note");
    client.affiliate_activate(id).await.expect("affiliate");
    let after: Vec<Value> = mock.snapshot()["activity"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(after.len(), before + 3);
    assert!(after.iter().skip(before).all(|a| a["userid"] == id));
}

/// The required fields of AddClient, for the custom field tests.
fn ada() -> AddClientRequired<'static> {
    AddClientRequired {
        firstname: "Ada",
        lastname: "Lovelace",
        email: "ada@example.com",
        address1: "12 St James Square",
        city: "London",
        state: "London",
        postcode: "SW1Y4JH",
        country: "GB",
        phonenumber: "+44.2079460000",
    }
}

/// Client `id`'s custom field values: the list of `client`, `client.customfieldsN`, and the
/// legacy top-level copies of both, which must agree.
async fn client_fields(client: &Client, id: i64) -> (Vec<(i64, String)>, Vec<(u32, String)>) {
    let details = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details");
    let c = details.client.clone().expect("client");
    let list: Vec<(i64, String)> = c
        .customfields
        .iter()
        .map(|f| (f.id.expect("id"), f.value.clone().expect("value")))
        .collect();
    let numbered: Vec<(u32, String)> = c.customfield_values.clone().into_iter().collect();
    #[allow(deprecated)]
    {
        assert_eq!(details.customfields, c.customfields, "legacy list");
        assert_eq!(
            details.customfield_values, c.customfield_values,
            "legacy numbered"
        );
    }
    (list, numbered)
}

#[tokio::test]
async fn client_custom_fields_are_kept_updated_and_read_back() {
    let (mock, client) = start().await;
    // A second client field beside the fresh installation's field 1 (field 2 is product 1's).
    let mut state = mock.snapshot();
    state["catalogue"]["customfields"]["rows"]["3"] =
        json!({ "type": "client", "name": "Account manager" });
    mock.seed(state).expect("seed");

    let id = client
        .add_client(ada())
        .customfields([
            (1, "A friend"),
            (3, "Jane"),
            (2, "not a client field"),
            (99, "no field"),
        ])
        .await
        .expect("AddClient")
        .clientid;
    let (list, numbered) = client_fields(&client, id).await;
    assert_eq!(list, [(1, "A friend".into()), (3, "Jane".into())]);
    assert_eq!(numbered, [(1, "A friend".into()), (2, "Jane".into())]);

    client
        .update_client()
        .clientid(id)
        .customfields([(3, "Joe")])
        .await
        .expect("UpdateClient");
    let (list, _) = client_fields(&client, id).await;
    assert_eq!(
        list,
        [(1, "A friend".into()), (3, "Joe".into())],
        "field 1 kept"
    );

    // As the reference sends it: base64_encode(serialize(array("1" => "Google"))).
    let answer = raw(
        &mock,
        "UpdateClient",
        &[
            ("clientid", &id.to_string()),
            ("customfields", "YToxOntpOjE7czo2OiJHb29nbGUiO30="),
        ],
    )
    .await;
    assert_eq!(answer["result"], "success", "{answer}");
    let (list, _) = client_fields(&client, id).await;
    assert_eq!(list, [(1, "Google".into()), (3, "Joe".into())]);

    let other = add_client(&client, "Grace", "Hopper", "grace@example.com").await;
    let (list, _) = client_fields(&client, other).await;
    assert_eq!(list, [(1, String::new()), (3, String::new())], "no values");
}

#[tokio::test]
async fn a_required_client_custom_field_must_be_given() {
    let (mock, client) = start().await;
    let mut state = mock.snapshot();
    state["catalogue"]["customfields"]["rows"]["1"]["required"] = json!(true);
    let name = state["catalogue"]["customfields"]["rows"]["1"]["name"]
        .as_str()
        .expect("the field's name")
        .to_string();
    mock.seed(state).expect("seed");

    let required = AddClientError::RequiredCustomFieldMissing { field: name };
    let missing = client.add_client(ada()).await;
    assert_eq!(api_error(missing), required);
    let empty = client.add_client(ada()).customfields([(1, " ")]).await;
    assert_eq!(api_error(empty), required);
    let clients = client.get_clients().await.expect("GetClients");
    assert_eq!(clients.totalresults, Some(0), "nothing was created");
    let users = client.get_users().await.expect("GetUsers");
    assert_eq!(users.totalresults, Some(0), "no user either");

    let id = client
        .add_client(ada())
        .customfields([(1, "Search engine")])
        .await
        .expect("with the field")
        .clientid;
    let (list, _) = client_fields(&client, id).await;
    assert_eq!(list, [(1, "Search engine".into())]);

    let skipped = client
        .add_client(AddClientRequired {
            email: "second@example.com",
            ..ada()
        })
        .skipvalidation(true)
        .await;
    assert!(skipped.is_ok(), "skipvalidation: {skipped:?}");
}

#[tokio::test]
async fn add_client_sends_the_welcome_email_unless_noemail() {
    let (mock, client) = start().await;
    let id = client.add_client(ada()).await.expect("AddClient").clientid;
    let mails = client.get_emails(id).await.expect("GetEmails");
    assert_eq!(mails.totalresults, Some(1));
    let welcome = &mails.emails[0];
    assert_eq!(
        welcome.subject.as_deref(),
        Some("Welcome to Example Hosting"),
        "the company name merged in"
    );
    assert_eq!(
        welcome.message.as_deref(),
        Some("<p>Dear Ada Lovelace,</p><p>Client Signup Email.</p>")
    );
    assert_eq!(
        welcome.to.as_deref(),
        Some("Ada Lovelace <ada@example.com>")
    );
    let log = client
        .get_activity_log()
        .clientid(id)
        .description("Email Sent")
        .await
        .expect("GetActivityLog");
    assert_eq!(log.totalresults, Some(1), "logged as SendEmail logs it");

    let quiet = client
        .add_client(AddClientRequired {
            email: "quiet@example.com",
            ..ada()
        })
        .noemail(true)
        .await
        .expect("AddClient")
        .clientid;
    assert!(mail_subjects(&client, quiet).await.is_empty());

    // A disabled template sends nothing, and the client is added all the same.
    let mut state = mock.snapshot();
    let rows = state["mail"]["templates"]["rows"]
        .as_object_mut()
        .expect("templates");
    for t in rows.values_mut() {
        if t["name"] == "Client Signup Email" {
            t["disabled"] = json!(true);
        }
    }
    mock.seed(state).expect("seed");
    let unwelcomed = client
        .add_client(AddClientRequired {
            email: "later@example.com",
            ..ada()
        })
        .await
        .expect("AddClient with the template disabled")
        .clientid;
    assert!(mail_subjects(&client, unwelcomed).await.is_empty());
}
