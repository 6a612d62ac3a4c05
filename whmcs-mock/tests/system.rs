//! System actions against the mock over HTTP: the activity log (and that every write of the
//! support, project and system families lands in it), configuration values, the to-do list,
//! mail, admins and who is online, GetStats derived from the other tables, bans, currencies and
//! gateways, notification events, the automation log and health checks.

use serde_json::json;
use whmcs_api::actions::{
    AddClientRequired, AddInvoicePaymentRequired, CustomEmailType, GetConfigurationValueError,
    GetEmailsError, SendAdminEmailError, SendEmailError, SetConfigurationValueError,
    ToDoItemStatus, TriggerNotificationEventError,
};
use whmcs_api::{Client, Date, DateTime, Decimal, PhpArray};
use whmcs_mock::MockServer;

mod common;
use common::{api_error, raw};

fn day(s: &str) -> Date {
    s.parse().expect("date")
}

fn at(s: &str) -> DateTime {
    s.parse().expect("datetime")
}

/// A client added without its welcome email, so the mail and activity-log counts of the tests
/// below are those of the calls they make.
async fn add_client(client: &Client, first: &str, email: &str) -> i64 {
    client
        .add_client(AddClientRequired {
            firstname: first,
            lastname: "Tester",
            email,
            address1: "1 Main St",
            city: "Springfield",
            state: "IL",
            postcode: "62701",
            country: "US",
            phonenumber: "+1.5555550100",
        })
        .noemail(true)
        .await
        .expect("AddClient")
        .clientid
}

/// How many lines the activity log holds.
async fn log_len(client: &Client) -> i64 {
    client
        .get_activity_log()
        .await
        .expect("GetActivityLog")
        .totalresults
        .unwrap_or(0)
}

/// Three to-do items: one due today, one due next week, one completed and past due.
fn seed_todos(mock: &MockServer) {
    let mut state = mock.snapshot();
    state["todos"]["items"]["rows"] = json!({
        "1": {"title": "Register example.org by hand", "status": "New", "duedate": "2026-01-01"},
        "2": {"title": "Renew certificate", "status": "Pending", "duedate": "2026-01-08"},
        "3": {"title": "Old chore", "status": "Completed", "duedate": "2025-12-01"}
    });
    mock.seed(state).expect("seed");
}

#[tokio::test]
async fn the_activity_log_lists_filters_and_pages() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    client
        .log_activity("Synced with the CRM")
        .clientid(ada)
        .await
        .expect("LogActivity");
    mock.advance_days(1);
    client
        .log_activity("Nightly export done")
        .await
        .expect("LogActivity");

    let all = client.get_activity_log().await.expect("log");
    assert_eq!(
        all.totalresults,
        Some(4),
        "AddClient and the daily run logged too"
    );
    let newest = &all.activity[0];
    assert_eq!(newest.description.as_deref(), Some("Nightly export done"));
    assert_eq!(newest.id, Some(4));
    assert_eq!(newest.date, Some(at("2026-01-02 12:00:00")));
    assert_eq!(newest.username.as_deref(), Some("admin"));
    assert_eq!(all.activity[2].client_id, Some(ada));

    let text = client
        .get_activity_log()
        .description("crm")
        .await
        .expect("by text");
    assert_eq!(text.totalresults, Some(1));
    let of_ada = client
        .get_activity_log()
        .clientid(ada)
        .await
        .expect("by client");
    assert_eq!(of_ada.totalresults, Some(2));
    let by_email = client
        .get_activity_log()
        .user("ada@example.com")
        .await
        .expect("by user");
    assert_eq!(by_email.totalresults, Some(2));
    let on_day = client
        .get_activity_log()
        .date("02/01/2026")
        .await
        .expect("by day, DD/MM/YYYY");
    assert_eq!(on_day.totalresults, Some(2), "the export and the daily run");
    let page = client
        .get_activity_log()
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(4));
    assert_eq!(page.startnumber, Some(1));
    assert_eq!(page.activity.len(), 1);
    assert_eq!(page.activity[0].id, Some(3));
}

#[tokio::test]
async fn every_write_lands_in_the_activity_log() {
    let mock = MockServer::start().await.expect("mock");
    seed_todos(&mock);
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let mut seen = log_len(&client).await;
    let mut count = 0;
    macro_rules! logged {
        ($name:literal, $call:expr) => {{
            $call.await.expect($name);
            let now = log_len(&client).await;
            assert!(now > seen, "{} left no line in the activity log", $name);
            seen = now;
            count += 1;
        }};
    }
    logged!(
        "OpenTicket",
        client.open_ticket(1, "One", "m").clientid(ada)
    );
    logged!(
        "OpenTicket",
        client.open_ticket(1, "Two", "m").clientid(ada)
    );
    logged!(
        "AddTicketReply",
        client.add_ticket_reply(1, "r").clientid(ada)
    );
    logged!("UpdateTicket", client.update_ticket(1).subject("One!"));
    logged!("UpdateTicketReply", client.update_ticket_reply(1, "r2"));
    logged!("DeleteTicketReply", client.delete_ticket_reply(1, 1));
    logged!("AddTicketNote", client.add_ticket_note("n").ticketid(1));
    logged!("DeleteTicketNote", client.delete_ticket_note(1));
    logged!("MergeTicket", client.merge_ticket(1, "2"));
    logged!("BlockTicketSender", client.block_ticket_sender(1));
    logged!("DeleteTicket", client.delete_ticket(1));
    logged!("AddClientNote", client.add_client_note(ada, "note"));
    logged!(
        "AddAnnouncement",
        client.add_announcement(at("2026-01-01 09:00:00"), "t", "a")
    );
    logged!(
        "UpdateAnnouncement",
        client.update_announcement(1).title("t2")
    );
    logged!("DeleteAnnouncement", client.delete_announcement(1));
    logged!("CreateProject", client.create_project("p", 1));
    logged!("UpdateProject", client.update_project(1).title("p2"));
    logged!(
        "AddProjectTask",
        client.add_project_task(1, day("2026-02-01")).task("t")
    );
    logged!(
        "UpdateProjectTask",
        client.update_project_task(1).task("t2")
    );
    logged!("StartTaskTimer", client.start_task_timer(1, 1));
    logged!("EndTaskTimer", client.end_task_timer(1));
    logged!("AddProjectMessage", client.add_project_message(1, "m"));
    logged!("DeleteProjectTask", client.delete_project_task(1, 1));
    logged!(
        "UpdateToDoItem",
        client
            .update_to_do_item(1, 1)
            .status(ToDoItemStatus::InProgress)
    );
    logged!("LogActivity", client.log_activity("by hand"));
    logged!(
        "SendEmail",
        client
            .send_email()
            .messagename("Client Signup Email")
            .id(ada)
    );
    logged!(
        "SendAdminEmail",
        client
            .send_admin_email()
            .messagename("New Order Notification")
    );
    logged!(
        "SetConfigurationValue",
        client.set_configuration_value("CompanyName", "Acme")
    );
    logged!("AddBannedIp", client.add_banned_ip("192.0.2.1", "abuse", 7));
    logged!("UpdateAdminNotes", client.update_admin_notes("remember"));
    logged!(
        "TriggerNotificationEvent",
        client
            .trigger_notification_event()
            .notification_identifier("deploy")
            .title("Deployed")
            .message("v2 is live")
    );
    assert_eq!(count, 31);
    assert!(seen >= 31, "{seen}");
}

#[tokio::test]
async fn configuration_values_are_read_and_set() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let v = client
        .get_configuration_value("CompanyName")
        .await
        .expect("GetConfigurationValue");
    assert_eq!(v.setting.as_deref(), Some("CompanyName"));
    assert_eq!(v.value.as_deref(), Some("Example Hosting"));

    let set = client
        .set_configuration_value("CompanyName", "Acme Hosting")
        .await
        .expect("SetConfigurationValue");
    assert_eq!(set.value_changed.as_deref(), Some("true"));
    let again = client
        .set_configuration_value("CompanyName", "Acme Hosting")
        .await
        .expect("same value");
    assert_eq!(again.value_changed.as_deref(), Some("false"));
    let v = client
        .get_configuration_value("CompanyName")
        .await
        .expect("read back");
    assert_eq!(v.value.as_deref(), Some("Acme Hosting"));

    client
        .set_configuration_value("MyAddonFlag", "on")
        .await
        .expect("a new setting");
    let v = client
        .get_configuration_value("MyAddonFlag")
        .await
        .expect("read back");
    assert_eq!(v.value.as_deref(), Some("on"));

    let e = api_error(client.get_configuration_value("NoSuchSetting").await);
    assert!(
        matches!(e, GetConfigurationValueError::InvalidSettingName),
        "{e:?}"
    );
    let e = api_error(client.get_configuration_value("").await);
    assert!(
        matches!(e, GetConfigurationValueError::SettingRequired),
        "{e:?}"
    );
    let e = api_error(client.set_configuration_value("bad name!", "x").await);
    assert!(
        matches!(e, SetConfigurationValueError::InvalidSettingName),
        "{e:?}"
    );
    // An empty value clears the setting, as the reference's own example does; only a value left
    // out is refused.
    let cleared = client
        .set_configuration_value("MyAddonFlag", "")
        .await
        .expect("an empty value clears");
    assert_eq!(cleared.value_changed.as_deref(), Some("true"));
    let v = client
        .get_configuration_value("MyAddonFlag")
        .await
        .expect("read back");
    assert_eq!(v.value.unwrap_or_default(), "");
    let e = raw(
        &mock,
        "SetConfigurationValue",
        &[("setting", "CompanyName")],
    )
    .await;
    assert_eq!(e["message"], "Parameter value is required", "{e}");

    let details = client.whmcs_details().await.expect("WhmcsDetails");
    assert_eq!(
        details.whmcs.and_then(|w| w.version).as_deref(),
        Some("8.13.1")
    );
    client
        .set_configuration_value("Version", "8.14.0")
        .await
        .expect("set version");
    let details = client.whmcs_details().await.expect("WhmcsDetails");
    let w = details.whmcs.expect("whmcs");
    assert_eq!(w.version.as_deref(), Some("8.14.0"));
    assert_eq!(w.canonicalversion.as_deref(), Some("8.14.0-release.1"));
}

#[tokio::test]
async fn the_to_do_list_is_listed_counted_and_edited() {
    let mock = MockServer::start().await.expect("mock");
    seed_todos(&mock);
    let client = mock.client().expect("client");
    let all = client.get_to_do_items().await.expect("GetToDoItems");
    assert_eq!(all.totalresults, Some(3));
    assert_eq!(
        all.items[0].title.as_deref(),
        Some("Register example.org by hand")
    );
    let incomplete = client
        .get_to_do_items()
        .status(ToDoItemStatus::Incomplete)
        .await
        .expect("incomplete");
    assert_eq!(incomplete.totalresults, Some(2));
    let pending = client
        .get_to_do_items()
        .status(ToDoItemStatus::Pending)
        .await
        .expect("pending");
    assert_eq!(pending.items.len(), 1);
    assert_eq!(pending.items[0].id, Some(2));
    let page = client
        .get_to_do_items()
        .limitstart(2)
        .limitnum(2)
        .await
        .expect("page");
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.items[0].id, Some(3));

    mock.advance_days(10);
    let statuses = client
        .get_to_do_item_statuses()
        .await
        .expect("GetToDoItemStatuses");
    assert_eq!(statuses.totalresults, Some(5));
    let of = |s: ToDoItemStatus| {
        statuses
            .todoitemstatuses
            .iter()
            .find(|t| t.status == Some(s.clone()))
            .map(|t| (t.count, t.overdue))
    };
    assert_eq!(of(ToDoItemStatus::New), Some((Some(1), Some(1))));
    assert_eq!(of(ToDoItemStatus::Pending), Some((Some(1), Some(1))));
    assert_eq!(
        of(ToDoItemStatus::Completed),
        Some((Some(1), Some(0))),
        "completed items are never overdue"
    );
    assert_eq!(of(ToDoItemStatus::InProgress), Some((Some(0), Some(0))));

    client
        .update_to_do_item(2, 1)
        .status(ToDoItemStatus::Completed)
        .title("Certificate renewed")
        .duedate("15/01/2026")
        .await
        .expect("UpdateToDoItem");
    let item = client
        .get_to_do_items()
        .status(ToDoItemStatus::Completed)
        .await
        .expect("completed");
    assert_eq!(item.totalresults, Some(2));
    let renewed = item.items.iter().find(|i| i.id == Some(2)).expect("item 2");
    assert_eq!(renewed.title.as_deref(), Some("Certificate renewed"));
    assert_eq!(renewed.admin, Some(1));
    assert_eq!(renewed.duedate.as_deref(), Some("2026-01-15"));
}

#[tokio::test]
async fn sent_mail_is_logged_per_client() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let bob = add_client(&client, "Bob", "bob@example.com").await;
    client
        .send_email()
        .messagename("Client Signup Email")
        .id(ada)
        .await
        .expect("template");
    client
        .send_email()
        .customtype(CustomEmailType::General)
        .customsubject("Hello {$client_first_name}")
        .custommessage("<p>Your code is {$code}</p>")
        .customvars(PhpArray::new().with("code", "X42"))
        .id(ada)
        .await
        .expect("custom");
    client
        .send_email()
        .messagename("Client Signup Email")
        .id(bob)
        .await
        .expect("to Bob");

    let mails = client.get_emails(ada).await.expect("GetEmails");
    assert_eq!(mails.totalresults, Some(2));
    let newest = &mails.emails[0];
    assert_eq!(newest.subject.as_deref(), Some("Hello Ada"));
    assert_eq!(newest.message.as_deref(), Some("<p>Your code is X42</p>"));
    assert_eq!(newest.to.as_deref(), Some("Ada Tester <ada@example.com>"));
    assert_eq!(newest.userid, Some(ada));
    assert_eq!(
        mails.emails[1].subject.as_deref(),
        Some("Welcome to Example Hosting")
    );
    let welcome = client
        .get_emails(ada)
        .subject("welcome")
        .await
        .expect("by subject");
    assert_eq!(welcome.totalresults, Some(1));
    let page = client
        .get_emails(ada)
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.emails[0].id, Some(1));
    let e = api_error(client.get_emails(99).await);
    assert!(matches!(e, GetEmailsError::ClientNotFound), "{e:?}");

    client.delete_client(bob).await.expect("delete Bob");
    let e = api_error(client.get_emails(bob).await);
    assert!(matches!(e, GetEmailsError::ClientNotFound), "{e:?}");
}

#[tokio::test]
async fn send_email_answers_its_documented_errors() {
    let mock = MockServer::start().await.expect("mock");
    let mut state = mock.snapshot();
    state["mail"]["templates"]["rows"]["99"] =
        json!({"type": "general", "name": "Retired", "subject": "s", "disabled": true});
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;

    let e = api_error(client.send_email().id(ada).await);
    assert!(
        matches!(e, SendEmailError::TemplateOrCustomTypeRequired),
        "{e:?}"
    );
    let e = api_error(client.send_email().messagename("Client Signup Email").await);
    assert!(matches!(e, SendEmailError::RelatedIdRequired), "{e:?}");
    let e = api_error(
        client
            .send_email()
            .messagename("No Such Template")
            .id(ada)
            .await,
    );
    assert!(matches!(e, SendEmailError::EmailTemplateNotFound), "{e:?}");
    let e = api_error(
        client
            .send_email()
            .messagename("Order Confirmation")
            .id(ada)
            .await,
    );
    assert!(
        matches!(e, SendEmailError::EmailTemplateNotFound),
        "a template SendEmail cannot send: {e:?}"
    );
    let e = api_error(client.send_email().messagename("Retired").id(ada).await);
    assert!(matches!(e, SendEmailError::EmailTemplateDisabled), "{e:?}");
    let custom = || {
        client
            .send_email()
            .customtype(CustomEmailType::General)
            .id(ada)
    };
    let e = api_error(custom().custommessage("body").await);
    assert!(matches!(e, SendEmailError::CustomSubjectRequired), "{e:?}");
    let e = api_error(custom().customsubject("subject").await);
    assert!(matches!(e, SendEmailError::CustomMessageRequired), "{e:?}");
    let e = api_error(
        custom()
            .customsubject("s")
            .custommessage("m")
            .customvars(whmcs_api::Serialized::Encoded("bm9wZQ==".into()))
            .await,
    );
    assert!(matches!(e, SendEmailError::InvalidCustomVariables), "{e:?}");
    let e = api_error(
        client
            .send_email()
            .messagename("Client Signup Email")
            .id(99)
            .await,
    );
    assert!(
        matches!(e, SendEmailError::SendingFailed),
        "no client 99: {e:?}"
    );
    let e = api_error(
        client
            .send_email()
            .messagename("Invoice Created")
            .id(99)
            .await,
    );
    assert!(
        matches!(e, SendEmailError::SendingFailed),
        "no invoice 99: {e:?}"
    );
    assert_eq!(
        client.get_emails(ada).await.expect("log").totalresults,
        Some(0),
        "nothing was sent"
    );
}

#[tokio::test]
async fn email_templates_are_listed_by_type() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let all = client.get_email_templates().await.expect("all");
    assert!(all.totalresults.unwrap_or(0) >= 10, "{all:?}");
    let support = client
        .get_email_templates()
        .template_type("support")
        .await
        .expect("support");
    let names: Vec<_> = support
        .emailtemplates
        .iter()
        .filter_map(|t| t.name.as_deref())
        .collect();
    assert_eq!(names, ["Support Ticket Opened", "Support Ticket Reply"]);
    assert_eq!(support.emailtemplates[0].custom, Some(false));
    let french = client
        .get_email_templates()
        .language("french")
        .await
        .expect("french");
    assert_eq!(french.totalresults, Some(0), "no translations installed");
}

#[tokio::test]
async fn admin_notifications_go_to_the_admins() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    client
        .send_admin_email()
        .custommessage("<p>Disk at {$percent}%</p>")
        .customsubject("Disk alert")
        .mergefields([("percent", "91")])
        .await
        .expect("SendAdminEmail");
    let sent = &mock.snapshot()["mail"]["admin_emails"]["rows"]["1"];
    assert_eq!(sent["subject"], "Disk alert");
    assert_eq!(sent["message"], "<p>Disk at 91%</p>");
    assert_eq!(sent["to"], json!(["admin@example.com"]));
    let e = api_error(client.send_admin_email().messagename("Nope").await);
    assert!(
        matches!(e, SendAdminEmailError::EmailTemplateNotFound),
        "{e:?}"
    );
}

#[tokio::test]
async fn admins_are_described_listed_and_keep_notes() {
    let mock = MockServer::start().await.expect("mock");
    let mut state = mock.snapshot();
    state["admins"]["admins"]["rows"]["2"] = json!({
        "username": "sam", "firstname": "Sam", "lastname": "Support",
        "email": "sam@example.com", "roleid": 3, "departments": [1]
    });
    state["admins"]["admins"]["rows"]["3"] = json!({
        "username": "old", "firstname": "Old", "lastname": "Timer",
        "email": "old@example.com", "roleid": 3, "disabled": true
    });
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");

    let me = client.get_admin_details().await.expect("GetAdminDetails");
    assert_eq!(me.adminid, Some(1));
    assert_eq!(me.name.as_deref(), Some("Site Admin"));
    assert_eq!(me.departments.as_deref(), Some(",1,"));
    assert!(
        me.allowedpermissions
            .as_deref()
            .is_some_and(|p| p.contains("List Support Tickets")),
        "{me:?}"
    );
    client
        .update_admin_notes("Call the datacentre")
        .await
        .expect("UpdateAdminNotes");
    let me = client.get_admin_details().await.expect("again");
    assert_eq!(me.notes.as_deref(), Some("Call the datacentre"));

    let users = client.get_admin_users().await.expect("GetAdminUsers");
    assert_eq!(users.count, Some(2), "disabled accounts are left out");
    let with_disabled = client
        .get_admin_users()
        .include_disabled(true)
        .await
        .expect("all");
    assert_eq!(with_disabled.count, Some(3));
    let support = client
        .get_admin_users()
        .roleid(3)
        .include_disabled(true)
        .await
        .expect("by role");
    assert_eq!(support.count, Some(2));
    let by_email = client
        .get_admin_users()
        .email("SAM@")
        .await
        .expect("by email");
    assert_eq!(by_email.count, Some(1));
    let sam = &by_email.admin_users[0];
    assert_eq!(sam.username.as_deref(), Some("sam"));
    assert_eq!(sam.full_name.as_deref(), Some("Sam Support"));
    assert_eq!(sam.support_department_ids, [1]);
    assert_eq!(
        sam.gravatar_hash.as_deref().map(str::len),
        Some(32),
        "{sam:?}"
    );
    let admin = &users.admin_users[0];
    assert_eq!(admin.notes.as_deref(), Some("Call the datacentre"));
}

#[tokio::test]
async fn staff_online_are_recent_sessions() {
    let mock = MockServer::start().await.expect("mock");
    let mut state = mock.snapshot();
    state["admins"]["sessions"] = json!([
        {"adminid": 1, "logintime": "2026-01-01 11:00:00", "lastvisit": "2026-01-01 11:55:00", "ipaddress": "192.0.2.10"},
        {"adminid": 1, "logintime": "2026-01-01 08:00:00", "lastvisit": "2026-01-01 09:00:00", "ipaddress": "192.0.2.11"},
        {"adminid": 1, "logintime": "2026-01-01 11:30:00", "lastvisit": "2026-01-01 11:59:00", "ipaddress": "192.0.2.12", "logouttime": "2026-01-01 11:59:30"}
    ]);
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");
    let online = client.get_staff_online().await.expect("GetStaffOnline");
    assert_eq!(online.totalresults, Some(1), "{online:?}");
    let s = &online.staffonline[0];
    assert_eq!(s.adminusername.as_deref(), Some("admin"));
    assert_eq!(s.ipaddress.as_deref(), Some("192.0.2.10"));
    assert_eq!(s.logintime, Some(at("2026-01-01 11:00:00")));
    let stats = client.get_stats().await.expect("stats");
    assert_eq!(stats.staff_online, Some(1));

    mock.advance_days(1);
    let online = client.get_staff_online().await.expect("later");
    assert_eq!(online.totalresults, Some(0), "a day later nobody is");
}

#[tokio::test]
async fn get_stats_is_derived_from_the_tables() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let empty = client.get_stats().await.expect("fresh");
    assert_eq!(empty.income_alltime.as_deref(), Some("$0.00 USD"));
    assert_eq!(empty.orders_pending, Some(0));
    assert_eq!(empty.tickets_allactive, Some(0));

    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let first = client
        .add_order(ada, "mailin")
        .pid([1])
        .await
        .expect("order A");
    let second = client
        .add_order(ada, "mailin")
        .pid([1])
        .await
        .expect("order B");
    client.accept_order(second.orderid).await.expect("accept B");
    mock.advance_days(1);
    client
        .add_order(ada, "mailin")
        .pid([1])
        .await
        .expect("order C");
    let now = at("2026-01-02 12:00:00");
    client
        .add_invoice_payment(AddInvoicePaymentRequired {
            invoiceid: second.invoiceid.expect("invoice of B"),
            transid: "TX-1",
            gateway: "mailin",
            date: now,
        })
        .amount(Decimal::new(1000, 2))
        .fees(Decimal::new(50, 2))
        .await
        .expect("payment");
    client
        .open_ticket(1, "Where is my server?", "?")
        .clientid(ada)
        .await
        .expect("ticket");
    let service = second.serviceids.first().copied().expect("service of B");
    client
        .add_cancel_request(service)
        .await
        .expect("cancellation request");
    let mut state = mock.snapshot();
    state["todos"]["items"]["rows"] = json!({
        "1": {"title": "due", "status": "New", "duedate": "2026-01-02"},
        "2": {"title": "later", "status": "New", "duedate": "2026-02-01"},
        "3": {"title": "done", "status": "Completed", "duedate": "2026-01-01"}
    });
    state["admins"]["sessions"] = json!([
        {"adminid": 1, "logintime": "2026-01-02 11:50:00", "lastvisit": "2026-01-02 11:58:00"}
    ]);
    mock.seed(state).expect("seed");
    let _ = first;

    let s = client.get_stats().timeline_days(2).await.expect("GetStats");
    assert_eq!(s.income_today.as_deref(), Some("$9.50 USD"));
    assert_eq!(s.income_thismonth.as_deref(), Some("$9.50 USD"));
    assert_eq!(s.income_alltime.as_deref(), Some("$9.50 USD"));
    assert_eq!(s.orders_pending, Some(2));
    assert_eq!(s.orders_today_total, Some(1));
    assert_eq!(s.orders_today_pending, Some(1));
    assert_eq!(s.orders_yesterday_total, Some(2));
    assert_eq!(s.orders_yesterday_active, Some(1));
    assert_eq!(s.orders_yesterday_pending, Some(1));
    assert_eq!(s.orders_thismonth_total, Some(3));
    assert_eq!(s.orders_thisyear_total, Some(3));
    assert_eq!(s.tickets_allactive, Some(1));
    assert_eq!(s.tickets_awaitingreply, Some(1));
    assert_eq!(s.tickets_open, Some(1));
    assert_eq!(s.tickets_closed, Some(0));
    assert_eq!(s.cancellations_pending, Some(1));
    assert_eq!(s.todoitems_due, Some(1));
    assert_eq!(s.staff_online, Some(1));
    let t = s.timeline_data.expect("timeline");
    assert_eq!(t.new_orders.get("2026-01-02"), Some(&1));
    assert_eq!(t.new_orders.get("2026-01-01"), Some(&2));
    assert_eq!(t.accepted_orders.get("2026-01-01"), Some(&1));
    assert_eq!(t.income.get("2026-01-02"), Some(&Decimal::new(950, 2)));
    assert_eq!(t.new_tickets.get("2026-01-02"), Some(&1));
    assert_eq!(t.new_orders.len(), 2, "as many days as asked");
}

#[tokio::test]
async fn banned_ips_expire_as_asked() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let first = client
        .add_banned_ip("192.0.2.1", "brute force", 7)
        .await
        .expect("AddBannedIp");
    let second = client
        .add_banned_ip("192.0.2.2", "spam", 1)
        .expires(at("2026-06-30 00:00:00"))
        .await
        .expect("with an expiry");
    assert_eq!((first.banid, second.banid), (1, 2));
    let bans = &mock.snapshot()["system"]["banned_ips"]["rows"];
    assert_eq!(bans["1"]["ip"], "192.0.2.1");
    assert_eq!(bans["1"]["expires"], "2026-01-08 12:00:00");
    assert_eq!(bans["2"]["expires"], "2026-06-30 00:00:00");
}

#[tokio::test]
async fn currencies_and_gateways_come_from_the_state() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let c = client.get_currencies().await.expect("GetCurrencies");
    assert_eq!(c.totalresults, Some(1));
    assert_eq!(c.currencies[0].code.as_deref(), Some("USD"));
    let g = client
        .get_payment_methods()
        .await
        .expect("GetPaymentMethods");
    let modules: Vec<_> = g
        .paymentmethods
        .iter()
        .filter_map(|p| p.module.as_deref())
        .collect();
    assert_eq!(modules, ["mailin", "banktransfer", "paypal", "offlinecc"]);

    let mut state = mock.snapshot();
    state["billing"]["currencies"]["rows"]["2"] =
        json!({"code": "EUR", "prefix": "€", "suffix": " EUR", "format": 1, "rate": "0.92"});
    mock.seed(state).expect("seed");
    for module in ["mailin", "banktransfer", "offlinecc"] {
        client
            .deactivate_module("gateway", module)
            .await
            .expect("DeactivateModule");
    }
    let c = client.get_currencies().await.expect("GetCurrencies");
    assert_eq!(c.totalresults, Some(2));
    assert_eq!(c.currencies[1].code.as_deref(), Some("EUR"));
    assert_eq!(c.currencies[1].rate, Some(0.92));
    let g = client
        .get_payment_methods()
        .await
        .expect("GetPaymentMethods");
    assert_eq!(g.totalresults, Some(1));
    assert_eq!(g.paymentmethods[0].displayname.as_deref(), Some("PayPal"));
}

#[tokio::test]
async fn notification_events_are_recorded() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let e = api_error(
        client
            .trigger_notification_event()
            .title("t")
            .message("m")
            .await,
    );
    assert!(
        matches!(e, TriggerNotificationEventError::IdentifierRequired),
        "{e:?}"
    );
    let e = api_error(
        client
            .trigger_notification_event()
            .notification_identifier("x")
            .message("m")
            .await,
    );
    assert!(
        matches!(e, TriggerNotificationEventError::TitleRequired),
        "{e:?}"
    );
    let e = api_error(
        client
            .trigger_notification_event()
            .notification_identifier("x")
            .title("t")
            .await,
    );
    assert!(
        matches!(e, TriggerNotificationEventError::MessageRequired),
        "{e:?}"
    );
    client
        .trigger_notification_event()
        .notification_identifier("backup.done")
        .title("Backup finished")
        .message("All good")
        .url("https://example.com/backups")
        .await
        .expect("TriggerNotificationEvent");
    let n = &mock.snapshot()["system"]["notifications"]["rows"]["1"];
    assert_eq!(n["identifier"], "backup.done");
    assert_eq!(n["title"], "Backup finished");
    assert_eq!(n["url"], "https://example.com/backups");
}

#[tokio::test]
async fn the_automation_log_and_health_follow_the_clock() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let log = client.get_automation_log().await.expect("GetAutomationLog");
    assert_eq!(log.current_datetime, Some(at("2026-01-01 12:00:00")));
    assert_eq!(log.last_daily_cron_invocation_time, None, "not run yet");
    assert_eq!(log.startdate, Some(at("2026-01-01 00:00:00")));
    assert_eq!(log.enddate, Some(at("2026-01-01 23:59:59")));
    let health = client.get_health_status().await.expect("GetHealthStatus");
    let checks = health.checks.expect("checks");
    assert!(
        checks
            .warning
            .iter()
            .any(|c| c.name.as_deref() == Some("CronStatus")),
        "{checks:?}"
    );

    mock.advance_days(3);
    let log = client
        .get_automation_log()
        .startdate(day("2026-01-01"))
        .enddate(day("2026-01-31"))
        .await
        .expect("GetAutomationLog");
    assert_eq!(
        log.last_daily_cron_invocation_time,
        Some(at("2026-01-04 12:00:00"))
    );
    let days: Vec<String> = log
        .statistics
        .as_ref()
        .and_then(|s| s.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(days, ["2026-01-02", "2026-01-03", "2026-01-04"]);
    let other = client
        .get_automation_log()
        .namespace("invoices")
        .await
        .expect("another namespace");
    assert_eq!(other.statistics, Some(json!({})));

    let health = client.get_health_status().await.expect("GetHealthStatus");
    let checks = health.checks.expect("checks");
    assert!(
        checks
            .success
            .iter()
            .any(|c| c.name.as_deref() == Some("CronStatus")),
        "{checks:?}"
    );
    client
        .set_configuration_value("SystemURL", "http://billing.example.com/")
        .await
        .expect("set");
    let checks = client
        .get_health_status()
        .await
        .expect("health")
        .checks
        .expect("checks");
    assert!(
        checks
            .warning
            .iter()
            .any(|c| c.name.as_deref() == Some("SystemUrl")),
        "{checks:?}"
    );
}

/// Values at the edges of each wire type, and text that is not what it should be.
fn hostile(ty: &str, values: &[&str], seed: u64) -> Vec<String> {
    let pick = |options: &[&str]| options[(seed % options.len() as u64) as usize].to_string();
    let ints = [
        "9223372036854775807",
        "-9223372036854775808",
        "-1",
        "0",
        "1",
        "1",
        "1",
        "2",
    ];
    let texts = [
        "",
        "é\u{0}\u{202e}",
        "1,2,,x, 9223372036854775807",
        "2026-01-01T00:00:00+99:99",
        // base64 of `[{"name":"a","data":"!!"}]` and of `{"name":1}`: attachment lists gone wrong
        "W3sibmFtZSI6ImEiLCJkYXRhIjoiISEifV0=",
        "eyJuYW1lIjoxfQ==",
        "Open",
        "99/99/9999",
    ];
    match ty {
        "int" => vec![pick(&ints)],
        "date" => vec![pick(&["9999-12-31", "0001-01-01", "2026-01-01"])],
        "datetime" => vec![pick(&["9999-12-31 23:59:59", "0001-01-01 00:00:00"])],
        "bool" => vec![pick(&["1", "0"])],
        "money" | "float" => vec![pick(&["-0.01", "79228162514264337593543950335", "0"])],
        // base64 of `a:99999999999:{` and of a string claiming more bytes than it has
        "serialized" => vec![pick(&[
            "YTo5OTk5OTk5OTk5OTp7",
            "YToxOntpOjE7czo5OiJHb29nbGUiO30=",
        ])],
        _ if !values.is_empty() => vec![pick(values)],
        _ => vec![pick(&texts), "x".repeat((seed % 4) as usize * 3000)],
    }
}

#[tokio::test]
async fn hostile_input_never_breaks_an_answer() {
    let mock = MockServer::start().await.expect("mock");
    seed_todos(&mock);
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    // A file on the ticket, its reply and its note, so attachment indexes are reached.
    let file = "W3sibmFtZSI6ImEudHh0IiwiZGF0YSI6ImFHVnNiRzg9In1d";
    client
        .open_ticket(1, "s", "m")
        .clientid(ada)
        .attachments(file)
        .await
        .expect("ticket");
    client
        .add_ticket_reply(1, "r")
        .clientid(ada)
        .attachments(file)
        .await
        .expect("reply");
    client
        .add_ticket_note("n")
        .ticketid(1)
        .attachments(file)
        .await
        .expect("note");
    client.create_project("p", 1).await.expect("project");
    client
        .add_project_task(1, day("2026-02-01"))
        .task("t")
        .await
        .expect("task");
    client.start_task_timer(1, 1).await.expect("timer");

    let mine = ["support", "tickets", "project_management", "system"];
    let actions: Vec<_> = whmcs_api::actions::ALL
        .iter()
        .filter(|a| {
            (mine.contains(&a.category()) && a.name() != "AddCancelRequest")
                || ["GetEmails", "GetHealthStatus"].contains(&a.name())
        })
        .collect();
    assert_eq!(actions.len(), 59);
    let http = whmcs_api::reqwest_builder().build().expect("http client");
    // A seeded generator, so a failure is the same on every run.
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let start = mock.snapshot();
    for round in 0..100 {
        mock.seed(start.clone()).expect("back to the start");
        for info in &actions {
            let mut form = whmcs_api::Form::new();
            form.pair("action", info.name());
            form.pair("identifier", mock.identifier());
            form.pair("secret", mock.secret());
            form.pair("responsetype", "json");
            for p in info.params() {
                if next() % 5 == 4 {
                    continue;
                }
                let (ty, nested) = match p.ty().split_once('<') {
                    Some((outer, inner)) => (inner.trim_end_matches('>'), Some(outer)),
                    None => (p.ty(), None),
                };
                for (i, v) in hostile(ty, p.values(), next()).into_iter().enumerate() {
                    let key = match nested {
                        Some("map") => format!("{}[k{i}]", p.name()),
                        Some(_) => format!("{}[{i}]", p.name()),
                        None if i == 0 => p.name().to_string(),
                        None => continue,
                    };
                    form.pair(&key, &v);
                }
            }
            let answer = http
                .post(format!("{}includes/api.php", mock.url()))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.as_str().to_string())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{} round {round}: {e}", info.name()));
            let status = answer.status();
            let body = answer.bytes().await.expect("body");
            let json: serde_json::Value = serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("{} round {round}: {e}", info.name()));
            assert!(
                status.is_success() && json["result"].is_string(),
                "{} round {round}: {status} {json}",
                info.name()
            );
        }
    }
    // And the mock still works.
    client.get_stats().await.expect("GetStats");
}
