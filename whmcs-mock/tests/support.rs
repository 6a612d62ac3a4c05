//! Support against the mock over HTTP: tickets (opening, replies and the status they set,
//! edits, notes, attachments, merging, deletion and what goes with it), the counts derived from
//! them, departments and canned replies, blocked senders, client notes and announcements.

use serde_json::{Value, json};
use whmcs_api::actions::{
    AddClientNoteError, AddClientRequired, AddTicketNoteError, AddTicketReplyError,
    AttachmentSource, BlockTicketSenderError, DeleteTicketError, DeleteTicketNoteError,
    DeleteTicketReplyError, GetTicketAttachmentError, GetTicketError, MergeTicketError,
    OpenTicketError, SortOrder, TicketPriority, UpdateAnnouncementError, UpdateTicketError,
    UpdateTicketReplyError,
};
use whmcs_api::{Client, DateTime};
use whmcs_mock::MockServer;

mod common;
use common::api_error;

/// The reference's example attachment list: one text file, `sample_text_file.txt`.
const ATTACHMENT: &str = "W3sibmFtZSI6InNhbXBsZV90ZXh0X2ZpbGUudHh0IiwiZGF0YSI6IlZHaHBjeUJwY3lCaElITmhiWEJzWlNCMFpYaDBJR1pwYkdVZ1kyOXVkR1Z1ZEhNPSJ9XQ==";

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
        .await
        .expect("AddClient")
        .clientid
}

/// Opens a ticket for `clientid` in department 1; returns its id.
async fn open(client: &Client, clientid: i64, subject: &str) -> i64 {
    client
        .open_ticket(1, subject, format!("About {subject}"))
        .clientid(clientid)
        .await
        .expect("OpenTicket")
        .id
}

/// Sets `path` (keys and row ids) in the state's JSON to `value`, and seeds it back.
fn seed(mock: &MockServer, path: &[&str], value: Value) {
    let mut state = mock.snapshot();
    let mut at = &mut state;
    for key in path {
        at = &mut at[*key];
    }
    *at = value;
    mock.seed(state).expect("seed");
}

fn at(s: &str) -> DateTime {
    s.parse().expect("datetime")
}

#[tokio::test]
async fn an_opened_ticket_is_read_back_and_listed() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let opened = client
        .open_ticket(1, "Site down", "It returns 500")
        .clientid(ada)
        .priority(TicketPriority::High)
        .await
        .expect("OpenTicket");
    assert_eq!(opened.id, 1, "tickets are numbered from 1");
    assert_eq!(opened.tid.len(), 6, "{}", opened.tid);

    let t = client
        .get_ticket()
        .ticketid(opened.id)
        .await
        .expect("GetTicket");
    assert_eq!(t.tid.as_deref(), Some(opened.tid.as_str()));
    assert_eq!(t.access_key, opened.c);
    assert_eq!(t.subject.as_deref(), Some("Site down"));
    assert_eq!(t.status.as_deref(), Some("Open"));
    assert_eq!(t.priority, Some(TicketPriority::High));
    assert_eq!(t.userid, Some(ada));
    assert_eq!(t.deptname.as_deref(), Some("Support"));
    assert_eq!(t.requestor_type.as_deref(), Some("Owner"));
    assert_eq!(t.date, Some(mock_now(&mock)));
    assert_eq!(t.replies.len(), 1, "the opening message is reply 0");
    assert_eq!(t.replies[0].replyid, Some(0));
    assert_eq!(t.replies[0].message.as_deref(), Some("It returns 500"));

    let by_number = client
        .get_ticket()
        .ticketnum(opened.tid.clone())
        .await
        .expect("by number");
    assert_eq!(by_number.ticketid, Some(opened.id));

    let listed = client.get_tickets().await.expect("GetTickets");
    assert_eq!(listed.totalresults, Some(1));
    let row = &listed.tickets[0];
    assert_eq!(row.id, Some(opened.id));
    assert_eq!(row.owner_name.as_deref(), Some("Ada Tester"));
    assert_eq!(row.status.as_deref(), Some("Open"));
}

/// The mock's clock, as the answers write it.
fn mock_now(mock: &MockServer) -> DateTime {
    DateTime::new(mock.today(), 12, 0, 0).expect("noon")
}

#[tokio::test]
async fn unknown_tickets_answer_their_documented_errors() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let e = api_error(client.get_ticket().ticketid(42).await);
    assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    assert_eq!(e.to_string(), "Ticket ID Not Found");
    let e = api_error(client.get_ticket().ticketnum("000000").await);
    assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    let e = api_error(client.add_ticket_reply(42, "hello").await);
    assert!(matches!(e, AddTicketReplyError::TicketNotFound), "{e:?}");
    let e = api_error(client.update_ticket(42).subject("x").await);
    assert!(matches!(e, UpdateTicketError::TicketNotFound), "{e:?}");
    let e = api_error(client.delete_ticket(42).await);
    assert!(matches!(e, DeleteTicketError::TicketNotFound), "{e:?}");
    let e = api_error(client.add_ticket_note("note").ticketid(42).await);
    assert!(matches!(e, AddTicketNoteError::TicketNotFound), "{e:?}");
    let e = api_error(client.block_ticket_sender(42).await);
    assert!(matches!(e, BlockTicketSenderError::TicketNotFound), "{e:?}");
    let e = api_error(client.merge_ticket(42, "1").await);
    assert!(matches!(e, MergeTicketError::TicketIdInvalid), "{e:?}");
    let e = api_error(client.delete_ticket_reply(42, 1).await);
    assert!(matches!(e, DeleteTicketReplyError::TicketNotFound), "{e:?}");
    let e = api_error(client.update_ticket_reply(42, "x").await);
    assert!(matches!(e, UpdateTicketReplyError::ReplyNotFound), "{e:?}");
    let e = api_error(client.delete_ticket_note(42).await);
    assert!(matches!(e, DeleteTicketNoteError::NoteNotFound), "{e:?}");
}

#[tokio::test]
async fn open_ticket_checks_who_and_where() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let bob = add_client(&client, "Bob", "bob@example.com").await;
    let ada_owner = client
        .get_clients_details()
        .clientid(ada)
        .await
        .expect("details")
        .client
        .and_then(|c| c.owner_user_id)
        .expect("owner");

    let e = api_error(client.open_ticket(9, "s", "m").clientid(ada).await);
    assert!(matches!(e, OpenTicketError::DepartmentNotFound), "{e:?}");
    let e = api_error(client.open_ticket(1, "s", "m").clientid(99).await);
    assert!(matches!(e, OpenTicketError::ClientNotFound), "{e:?}");
    let e = api_error(
        client
            .open_ticket(1, "s", "m")
            .clientid(ada)
            .userid(99)
            .await,
    );
    assert!(matches!(e, OpenTicketError::UserNotFound), "{e:?}");
    let e = api_error(
        client
            .open_ticket(1, "s", "m")
            .clientid(bob)
            .userid(ada_owner)
            .await,
    );
    assert!(
        matches!(e, OpenTicketError::UserNotFound),
        "a user of another client: {e:?}"
    );
    let e = api_error(client.open_ticket(1, "", "m").clientid(ada).await);
    assert!(matches!(e, OpenTicketError::SubjectRequired), "{e:?}");
    let e = api_error(client.open_ticket(1, "s", "").clientid(ada).await);
    assert!(matches!(e, OpenTicketError::MessageRequired), "{e:?}");

    let by_user = client
        .open_ticket(1, "s", "m")
        .clientid(ada)
        .userid(ada_owner)
        .await
        .expect("the owner opens it");
    let t = client
        .get_ticket()
        .ticketid(by_user.id)
        .await
        .expect("GetTicket");
    assert_eq!(t.requestor_type.as_deref(), Some("Owner"));
    assert_eq!(t.requestor_email.as_deref(), Some("ada@example.com"));
}

#[tokio::test]
async fn guests_need_a_name_and_a_valid_address() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    open(&client, ada, "client ticket").await;
    let e = api_error(client.open_ticket(1, "s", "m").name("Guest").await);
    assert!(matches!(e, OpenTicketError::NameAndEmailRequired), "{e:?}");
    let e = api_error(
        client
            .open_ticket(1, "s", "m")
            .name("Guest")
            .email("not-an-address")
            .await,
    );
    assert!(matches!(e, OpenTicketError::InvalidEmailAddress), "{e:?}");
    let guest = client
        .open_ticket(1, "Pre-sales", "Do you host PHP?")
        .name("Guest Person")
        .email("guest@example.net")
        .await
        .expect("guest ticket");
    let t = client.get_ticket().ticketid(guest.id).await.expect("get");
    assert_eq!(t.userid, Some(0));
    assert_eq!(t.requestor_type.as_deref(), Some("Guest"));

    let found = client
        .get_tickets()
        .email("GUEST@example.net")
        .await
        .expect("by email");
    assert_eq!(found.totalresults, Some(1));
    assert_eq!(found.tickets[0].id, Some(guest.id));
    let none = client
        .get_tickets()
        .email("ada@example.com")
        .await
        .expect("client address");
    assert_eq!(
        none.totalresults,
        Some(0),
        "the filter finds guests' tickets"
    );
}

#[tokio::test]
async fn creation_times_are_read_and_not_in_the_future() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let e = api_error(
        client
            .open_ticket(1, "s", "m")
            .clientid(ada)
            .created("last tuesday")
            .await,
    );
    assert!(matches!(e, OpenTicketError::InvalidDateFormat), "{e:?}");
    let e = api_error(
        client
            .open_ticket(1, "s", "m")
            .clientid(ada)
            .created("2026-01-02 00:00:00")
            .await,
    );
    assert!(matches!(e, OpenTicketError::CreationDateInFuture), "{e:?}");
    let id = client
        .open_ticket(1, "s", "m")
        .clientid(ada)
        .created("2025-12-31T10:00:00+02:00")
        .await
        .expect("ISO 8601")
        .id;
    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.date, Some(at("2025-12-31 08:00:00")));

    let e = api_error(
        client
            .add_ticket_reply(id, "later")
            .clientid(ada)
            .created("2027-01-01 00:00:00")
            .await,
    );
    assert!(matches!(e, AddTicketReplyError::ReplyDateInFuture), "{e:?}");
    let e = api_error(
        client
            .add_ticket_note("n")
            .ticketid(id)
            .created("soon")
            .await,
    );
    assert!(matches!(e, AddTicketNoteError::InvalidDateFormat), "{e:?}");
}

#[tokio::test]
async fn ticket_numbers_stay_unique_after_deletions() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let mut numbers = Vec::new();
    for n in 0..3 {
        let t = client
            .open_ticket(1, format!("t{n}"), "m")
            .clientid(ada)
            .await
            .expect("open");
        numbers.push(t.tid);
    }
    client.delete_ticket(2).await.expect("delete");
    let t = client
        .open_ticket(1, "t3", "m")
        .clientid(ada)
        .await
        .expect("open");
    assert_eq!(t.id, 4, "ids are not reused");
    assert!(!numbers.contains(&t.tid), "{} in {numbers:?}", t.tid);
}

#[tokio::test]
async fn a_client_reply_awaits_staff_and_a_staff_reply_answers() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let id = open(&client, ada, "Help").await;
    let status = |c: &Client| {
        let c = c.clone();
        async move {
            c.get_ticket()
                .ticketid(id)
                .await
                .expect("get")
                .status
                .unwrap_or_default()
        }
    };

    client
        .add_ticket_reply(id, "We are on it")
        .adminusername("admin")
        .await
        .expect("staff reply");
    assert_eq!(status(&client).await, "Answered");
    client
        .add_ticket_reply(id, "Still broken")
        .clientid(ada)
        .await
        .expect("client reply");
    assert_eq!(status(&client).await, "Customer-Reply");
    client
        .add_ticket_reply(id, "A guest chimes in")
        .name("Guest")
        .email("guest@example.net")
        .await
        .expect("guest reply");
    assert_eq!(status(&client).await, "Customer-Reply");
    client
        .add_ticket_reply(id, "Parking this")
        .adminusername("admin")
        .status("on hold")
        .await
        .expect("reply with a status");
    assert_eq!(status(&client).await, "On Hold", "a named status wins");

    let e = api_error(
        client
            .add_ticket_reply(id, "x")
            .adminusername("admin")
            .status("Snoozed")
            .await,
    );
    assert!(
        matches!(e, AddTicketReplyError::InvalidTicketStatus),
        "{e:?}"
    );
    let e = api_error(client.add_ticket_reply(id, "x").clientid(99).await);
    assert!(matches!(e, AddTicketReplyError::ClientNotFound), "{e:?}");
    let e = api_error(client.add_ticket_reply(id, "x").await);
    assert!(
        matches!(e, AddTicketReplyError::NameAndEmailRequired),
        "{e:?}"
    );

    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.replies.len(), 5);
    assert_eq!(t.replies[1].admin.as_deref(), Some("Site Admin"));
    assert_eq!(t.replies[1].requestor_type.as_deref(), Some("Operator"));
    assert_eq!(t.replies[2].userid, Some(ada));
    let newest_first = client
        .get_ticket()
        .ticketid(id)
        .repliessort(SortOrder::Desc)
        .await
        .expect("desc");
    assert_eq!(
        newest_first.replies[0].message.as_deref(),
        Some("Parking this")
    );
}

#[tokio::test]
async fn update_ticket_persists_every_field() {
    let mock = MockServer::start().await.expect("mock");
    seed(
        &mock,
        &["support", "departments", "rows", "2"],
        json!({"name": "Sales", "email": "sales@example.com"}),
    );
    let mut state = mock.snapshot();
    state["admins"]["admins"]["rows"]["1"]["departments"] = json!([1, 2]);
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let id = open(&client, ada, "Old subject").await;

    client
        .update_ticket(id)
        .subject("New subject")
        .deptid(2)
        .status("In Progress")
        .priority(TicketPriority::Low)
        .flag(1)
        .cc("boss@example.com")
        .message("Rewritten first message")
        .await
        .expect("UpdateTicket");
    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.subject.as_deref(), Some("New subject"));
    assert_eq!(t.deptid, Some(2));
    assert_eq!(t.deptname.as_deref(), Some("Sales"));
    assert_eq!(t.status.as_deref(), Some("In Progress"));
    assert_eq!(t.priority, Some(TicketPriority::Low));
    assert_eq!(t.flag, Some(1));
    assert_eq!(t.cc.as_deref(), Some("boss@example.com"));
    assert_eq!(
        t.replies[0].message.as_deref(),
        Some("Rewritten first message")
    );

    client
        .update_ticket(id)
        .remove_flag(true)
        .await
        .expect("unflag");
    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.flag, Some(0));

    let e = api_error(client.update_ticket(id).status("Snoozed").await);
    assert_eq!(
        e.to_string(),
        "Invalid Ticket Status. Valid statuses are: Open,Answered,Customer-Reply,On Hold,In Progress,Closed"
    );
    assert!(
        matches!(e, UpdateTicketError::InvalidTicketStatus { .. }),
        "{e:?}"
    );
    let e = api_error(client.update_ticket(id).deptid(7).await);
    assert!(matches!(e, UpdateTicketError::DepartmentNotFound), "{e:?}");
    let e = api_error(
        client
            .update_ticket(id)
            .created("2030-01-01 00:00:00")
            .await,
    );
    assert!(
        matches!(e, UpdateTicketError::CreationDateInFuture),
        "{e:?}"
    );
}

#[tokio::test]
async fn replies_are_edited_and_deleted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let first = open(&client, ada, "One").await;
    let second = open(&client, ada, "Two").await;
    client
        .add_ticket_reply(first, "typo here")
        .clientid(ada)
        .await
        .expect("reply");
    client
        .add_ticket_reply(second, "on the other ticket")
        .clientid(ada)
        .await
        .expect("reply");
    let reply = client
        .get_ticket()
        .ticketid(first)
        .await
        .expect("get")
        .replies[1]
        .replyid
        .expect("reply id");
    assert_eq!(reply, 1, "replies are numbered from 1");

    client
        .update_ticket_reply(reply, "fixed here")
        .await
        .expect("UpdateTicketReply");
    let t = client.get_ticket().ticketid(first).await.expect("get");
    assert_eq!(t.replies[1].message.as_deref(), Some("fixed here"));

    let other = client
        .get_ticket()
        .ticketid(second)
        .await
        .expect("get")
        .replies[1]
        .replyid
        .expect("id");
    let e = api_error(client.delete_ticket_reply(first, other).await);
    assert!(
        matches!(e, DeleteTicketReplyError::ReplyNotFound),
        "a reply of another ticket: {e:?}"
    );
    let e = api_error(client.delete_ticket_reply(first, 0).await);
    assert!(
        matches!(e, DeleteTicketReplyError::ReplyNotFound),
        "the opening message is not a reply: {e:?}"
    );
    client
        .delete_ticket_reply(first, reply)
        .await
        .expect("DeleteTicketReply");
    let t = client.get_ticket().ticketid(first).await.expect("get");
    assert_eq!(t.replies.len(), 1);
    let e = api_error(client.update_ticket_reply(reply, "again").await);
    assert!(matches!(e, UpdateTicketReplyError::ReplyNotFound), "{e:?}");
    let e = api_error(client.delete_ticket_reply(first, reply).await);
    assert!(matches!(e, DeleteTicketReplyError::ReplyNotFound), "{e:?}");
}

#[tokio::test]
async fn deleting_a_ticket_takes_its_replies_and_notes() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let id = open(&client, ada, "Doomed").await;
    let kept = open(&client, ada, "Kept").await;
    client
        .add_ticket_reply(id, "reply")
        .clientid(ada)
        .await
        .expect("reply");
    client
        .add_ticket_note("note")
        .ticketid(id)
        .await
        .expect("note");
    client
        .add_ticket_note("other note")
        .ticketid(kept)
        .await
        .expect("note");

    client.delete_ticket(id).await.expect("DeleteTicket");
    let e = api_error(client.get_ticket().ticketid(id).await);
    assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    let e = api_error(client.update_ticket_reply(1, "x").await);
    assert!(
        matches!(e, UpdateTicketReplyError::ReplyNotFound),
        "its replies went with it: {e:?}"
    );
    let e = api_error(client.delete_ticket_note(1).await);
    assert!(
        matches!(e, DeleteTicketNoteError::NoteNotFound),
        "its notes went with it: {e:?}"
    );
    let notes = client.get_ticket_notes(kept).await.expect("notes");
    assert_eq!(notes.totalresults, Some(1), "other tickets keep theirs");
    let listed = client.get_tickets().await.expect("list");
    assert_eq!(listed.totalresults, Some(1));
}

#[tokio::test]
async fn merging_folds_tickets_into_one() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let target = open(&client, ada, "Main").await;
    mock.advance_days(1);
    let second = open(&client, ada, "Second").await;
    client
        .add_ticket_reply(second, "reply on second")
        .adminusername("admin")
        .await
        .expect("reply");
    client
        .add_ticket_note("note on second")
        .ticketid(second)
        .await
        .expect("note");
    mock.advance_days(1);
    let third = open(&client, ada, "Third").await;

    let e = api_error(client.merge_ticket(target, format!("{second},98,x")).await);
    assert_eq!(e.to_string(), "Invalid Merge Ticket IDs: 98, x");
    assert!(
        matches!(e, MergeTicketError::InvalidMergeTicketIds { .. }),
        "{e:?}"
    );
    assert!(
        client.get_ticket().ticketid(second).await.is_ok(),
        "a refused merge changes nothing"
    );

    let merged = client
        .merge_ticket(target, format!("{third}, {second}"))
        .newsubject("Everything")
        .await
        .expect("MergeTicket");
    assert_eq!(merged.ticketid, Some(target));
    let t = client.get_ticket().ticketid(target).await.expect("get");
    assert_eq!(t.subject.as_deref(), Some("Everything"));
    let messages: Vec<&str> = t
        .replies
        .iter()
        .filter_map(|r| r.message.as_deref())
        .collect();
    assert_eq!(
        messages,
        [
            "About Main",
            "About Second",
            "reply on second",
            "About Third"
        ],
        "every message, in date order"
    );
    assert_eq!(t.notes.len(), 1, "the notes moved too");
    assert_eq!(t.lastreply, t.replies.last().and_then(|r| r.date));
    for gone in [second, third] {
        let e = api_error(client.get_ticket().ticketid(gone).await);
        assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    }
    assert_eq!(
        client.get_tickets().await.expect("list").totalresults,
        Some(1)
    );
}

#[tokio::test]
async fn ticket_notes_are_added_listed_and_deleted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let id = open(&client, ada, "Noted").await;
    let tid = client
        .get_ticket()
        .ticketid(id)
        .await
        .expect("get")
        .tid
        .expect("tid");
    client
        .add_ticket_note("by number")
        .ticketnum(tid)
        .await
        .expect("note by number");
    client
        .add_ticket_note("by id")
        .ticketid(id)
        .await
        .expect("note by id");
    let e = api_error(client.add_ticket_note("nowhere").await);
    assert!(matches!(e, AddTicketNoteError::TicketNotFound), "{e:?}");
    let e = api_error(client.add_ticket_note("").ticketid(id).await);
    assert!(matches!(e, AddTicketNoteError::MessageRequired), "{e:?}");

    let notes = client.get_ticket_notes(id).await.expect("GetTicketNotes");
    assert_eq!(notes.totalresults, Some(2));
    assert_eq!(notes.notes[0].message.as_deref(), Some("by number"));
    assert_eq!(notes.notes[0].admin.as_deref(), Some("Site Admin"));
    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.notes.len(), 2);
    let first = notes.notes[0].id.expect("note id");

    client.delete_ticket_note(first).await.expect("delete");
    let notes = client.get_ticket_notes(id).await.expect("notes");
    assert_eq!(notes.totalresults, Some(1));
    let e = api_error(client.delete_ticket_note(first).await);
    assert!(matches!(e, DeleteTicketNoteError::NoteNotFound), "{e:?}");
}

#[tokio::test]
async fn attachments_are_kept_and_served() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let id = client
        .open_ticket(1, "With a file", "see attached")
        .clientid(ada)
        .attachments(ATTACHMENT)
        .await
        .expect("open")
        .id;
    client
        .add_ticket_reply(id, "no file")
        .clientid(ada)
        .await
        .expect("reply");
    client
        .add_ticket_note("file in the note")
        .ticketid(id)
        .attachments(ATTACHMENT)
        .await
        .expect("note");

    let t = client.get_ticket().ticketid(id).await.expect("get");
    assert_eq!(t.replies[0].attachments.len(), 1);
    assert_eq!(
        t.replies[0].attachments[0].filename.as_deref(),
        Some("sample_text_file.txt")
    );
    assert!(
        t.replies[0]
            .attachment
            .as_deref()
            .is_some_and(|a| a.ends_with("_sample_text_file.txt")),
        "{:?}",
        t.replies[0].attachment
    );

    let file = client
        .get_ticket_attachment(id, AttachmentSource::Ticket, 0)
        .await
        .expect("GetTicketAttachment");
    assert_eq!(file.filename.as_deref(), Some("sample_text_file.txt"));
    assert_eq!(
        file.data.as_deref(),
        Some("VGhpcyBpcyBhIHNhbXBsZSB0ZXh0IGZpbGUgY29udGVudHM=")
    );
    let note = t.notes[0].noteid.expect("note id");
    let from_note = client
        .get_ticket_attachment(note, AttachmentSource::Note, 0)
        .await
        .expect("from the note");
    assert_eq!(from_note.filename.as_deref(), Some("sample_text_file.txt"));

    let e = api_error(
        client
            .get_ticket_attachment(id, AttachmentSource::Ticket, 1)
            .await,
    );
    assert!(
        matches!(e, GetTicketAttachmentError::InvalidAttachmentIndex),
        "{e:?}"
    );
    let reply = t.replies[1].replyid.expect("reply id");
    let e = api_error(
        client
            .get_ticket_attachment(reply, AttachmentSource::Reply, 0)
            .await,
    );
    assert!(
        matches!(e, GetTicketAttachmentError::NoAttachmentsFound),
        "{e:?}"
    );
    let e = api_error(
        client
            .get_ticket_attachment(77, AttachmentSource::Reply, 0)
            .await,
    );
    assert!(
        matches!(e, GetTicketAttachmentError::RelatedIdNotFound),
        "{e:?}"
    );
}

#[tokio::test]
async fn counts_follow_the_tickets() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let open_one = open(&client, ada, "still open").await;
    let answered = open(&client, ada, "answered").await;
    let replied = open(&client, ada, "customer replied").await;
    let closed = open(&client, ada, "closed").await;
    client
        .add_ticket_reply(answered, "done")
        .adminusername("admin")
        .await
        .expect("reply");
    client
        .add_ticket_reply(replied, "more")
        .clientid(ada)
        .await
        .expect("reply");
    client
        .update_ticket(closed)
        .status("Closed")
        .await
        .expect("close");
    client.update_ticket(open_one).flag(1).await.expect("flag");

    let c = client
        .get_ticket_counts()
        .include_counts_by_status(true)
        .await
        .expect("GetTicketCounts");
    assert_eq!(c.all_active, Some(3));
    assert_eq!(c.awaiting_reply, Some(2), "Open and Customer-Reply");
    assert_eq!(c.flagged_tickets, Some(1));
    assert_eq!(c.filtered_departments, [1]);
    let count = |slug: &str| c.by_status.get(slug).and_then(|s| s.count);
    assert_eq!(count("open"), Some(1));
    assert_eq!(count("answered"), Some(1));
    assert_eq!(count("customerreply"), Some(1));
    assert_eq!(count("closed"), Some(1));
    assert_eq!(count("onhold"), Some(0));
    let plain = client.get_ticket_counts().await.expect("counts");
    assert!(plain.by_status.is_empty(), "only when asked");

    let statuses = client.get_support_statuses().await.expect("statuses");
    assert_eq!(statuses.totalresults, Some(6));
    let of = |title: &str| {
        statuses
            .statuses
            .iter()
            .find(|s| s.title.as_deref() == Some(title))
            .and_then(|s| s.count)
    };
    assert_eq!(of("Open"), Some(1));
    assert_eq!(of("Closed"), Some(1));
    assert_eq!(
        statuses.statuses[0].color.as_deref(),
        Some("#779500"),
        "{statuses:?}"
    );
    let none = client
        .get_support_statuses()
        .deptid(5)
        .await
        .expect("statuses of another department");
    assert!(none.statuses.iter().all(|s| s.count == Some(0)));

    let depts = client.get_support_departments().await.expect("departments");
    assert_eq!(depts.totalresults, Some(1));
    assert_eq!(depts.departments[0].opentickets, Some(3));
    assert_eq!(depts.departments[0].awaitingreply, Some(2));
}

#[tokio::test]
async fn get_tickets_filters_and_pages() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let bob = add_client(&client, "Bob", "bob@example.com").await;
    for n in 0..5 {
        open(&client, ada, &format!("Billing question {n}")).await;
    }
    let dns = open(&client, bob, "DNS not resolving").await;
    let closed = open(&client, bob, "Old issue").await;
    client
        .update_ticket(closed)
        .status("Closed")
        .await
        .expect("close");
    client
        .add_ticket_reply(dns, "answer")
        .adminusername("admin")
        .await
        .expect("answer");
    client.update_ticket(dns).flag(1).await.expect("flag");

    let ids = |r: &whmcs_api::actions::GetTicketsResponse| -> Vec<i64> {
        r.tickets.iter().filter_map(|t| t.id).collect()
    };
    let all = client.get_tickets().await.expect("all");
    assert_eq!(all.totalresults, Some(7));
    assert_eq!(ids(&all)[0], closed, "newest first");
    let of_bob = client.get_tickets().clientid(bob).await.expect("bob");
    assert_eq!(ids(&of_bob), [closed, dns]);
    let fuzzy = client.get_tickets().subject("dns").await.expect("subject");
    assert_eq!(ids(&fuzzy), [dns]);
    let awaiting = client
        .get_tickets()
        .status("Awaiting Reply")
        .await
        .expect("awaiting");
    assert_eq!(awaiting.totalresults, Some(5), "the five Open ones");
    let active = client
        .get_tickets()
        .status("All Active Tickets")
        .await
        .expect("active");
    assert_eq!(active.totalresults, Some(6));
    let flagged = client
        .get_tickets()
        .status("My Flagged Tickets")
        .await
        .expect("flagged");
    assert_eq!(ids(&flagged), [dns]);
    let closed_ones = client.get_tickets().status("Closed").await.expect("closed");
    assert_eq!(ids(&closed_ones), [closed]);
    let dept = client.get_tickets().deptid(2).await.expect("dept 2");
    assert_eq!(dept.totalresults, Some(0));

    let page = client
        .get_tickets()
        .limitstart(2)
        .limitnum(3)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(7));
    assert_eq!(page.startnumber, Some(2));
    assert_eq!(page.numreturned, Some(3));
    assert_eq!(ids(&page), ids(&all)[2..5]);
    let everything = client
        .get_tickets()
        .pages(2)
        .collect()
        .await
        .expect("pages");
    assert_eq!(everything.len(), 7);
}

#[tokio::test]
async fn the_api_admin_sees_only_its_departments_unless_told() {
    let mock = MockServer::start().await.expect("mock");
    seed(
        &mock,
        &["support", "departments", "rows", "2"],
        json!({"name": "Abuse", "email": "abuse@example.com"}),
    );
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    open(&client, ada, "support").await;
    client
        .open_ticket(2, "abuse report", "spam")
        .clientid(ada)
        .await
        .expect("open in another department");

    let mine = client.get_tickets().await.expect("list");
    assert_eq!(mine.totalresults, Some(1), "admin 1 is in Support only");
    let every = client
        .get_tickets()
        .ignore_dept_assignments(true)
        .await
        .expect("list all");
    assert_eq!(every.totalresults, Some(2));
    let depts = client.get_support_departments().await.expect("depts");
    assert_eq!(depts.totalresults, Some(1));
    let depts = client
        .get_support_departments()
        .ignore_dept_assignments(true)
        .await
        .expect("depts");
    assert_eq!(depts.totalresults, Some(2));
    let counts = client
        .get_ticket_counts()
        .ignore_department_assignments(true)
        .await
        .expect("counts");
    assert_eq!(counts.filtered_departments, [1, 2]);
    assert_eq!(counts.all_active, Some(2));
}

#[tokio::test]
async fn blocking_a_sender_bans_the_address_and_can_delete() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let spam = client
        .open_ticket(1, "Cheap pills", "buy now")
        .name("Spammer")
        .email("spam@example.org")
        .await
        .expect("open")
        .id;
    let kept = client
        .block_ticket_sender(spam)
        .await
        .expect("BlockTicketSender");
    assert_eq!(kept.deleted.as_deref(), Some("false"));
    assert!(client.get_ticket().ticketid(spam).await.is_ok());
    let banned = mock.snapshot()["system"]["banned_emails"]["rows"]["1"]["email"].clone();
    assert_eq!(banned, "spam@example.org");

    let gone = client
        .block_ticket_sender(spam)
        .delete(true)
        .await
        .expect("block and delete");
    assert_eq!(gone.deleted.as_deref(), Some("true"));
    let e = api_error(client.get_ticket().ticketid(spam).await);
    assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    let bans = mock.snapshot()["system"]["banned_emails"]["rows"].clone();
    assert_eq!(
        bans.as_object().map(|o| o.len()),
        Some(1),
        "banned once: {bans}"
    );
}

#[tokio::test]
async fn canned_replies_are_listed_with_their_folders() {
    let mock = MockServer::start().await.expect("mock");
    let mut state = mock.snapshot();
    state["support"]["predefined_categories"]["rows"] = json!({
        "1": {"name": "Sales"},
        "2": {"name": "Billing"},
        "3": {"name": "Refunds", "parentid": 2}
    });
    state["support"]["predefined_replies"]["rows"] = json!({
        "1": {"catid": 1, "name": "Pricing", "reply": "Our prices are..."},
        "2": {"catid": 2, "name": "Invoice copy", "reply": "Attached is..."},
        "3": {"catid": 2, "name": "Due dates", "reply": "Invoices are due..."}
    });
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");

    let cats = client
        .get_ticket_predefined_cats()
        .await
        .expect("categories");
    assert_eq!(cats.totalresults, Some(3));
    let names: Vec<_> = cats
        .categories
        .iter()
        .map(|c| (c.name.clone().unwrap_or_default(), c.replycount))
        .collect();
    assert_eq!(
        names,
        [
            ("Billing".to_string(), Some(2)),
            ("Refunds".to_string(), Some(0)),
            ("Sales".to_string(), Some(1))
        ]
    );
    assert_eq!(cats.categories[1].parentid, Some(2));

    let billing = client
        .get_ticket_predefined_replies()
        .catid(2)
        .await
        .expect("replies");
    assert_eq!(billing.totalresults, Some(2));
    assert_eq!(
        billing.predefinedreplies[0].name.as_deref(),
        Some("Due dates")
    );
    let all = client
        .get_ticket_predefined_replies()
        .await
        .expect("all replies");
    assert_eq!(all.totalresults, Some(3));
}

#[tokio::test]
async fn a_deleted_clients_tickets_and_notes_go_with_it() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let bob = add_client(&client, "Bob", "bob@example.com").await;
    let hers = open(&client, ada, "Ada's").await;
    let his = open(&client, bob, "Bob's").await;
    client
        .add_ticket_note("about Ada's ticket")
        .ticketid(hers)
        .await
        .expect("note");
    client
        .add_client_note(ada, "VIP")
        .await
        .expect("client note");

    client.delete_client(ada).await.expect("DeleteClient");
    let e = api_error(client.get_ticket().ticketid(hers).await);
    assert!(matches!(e, GetTicketError::TicketNotFound), "{e:?}");
    assert!(client.get_ticket().ticketid(his).await.is_ok());
    let state = mock.snapshot();
    assert_eq!(state["support"]["notes"]["rows"], json!({}));
    assert_eq!(state["clients"]["notes"]["rows"], json!({}));
}

#[tokio::test]
async fn client_notes_are_kept() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let ada = add_client(&client, "Ada", "ada@example.com").await;
    let first = client
        .add_client_note(ada, "Prefers email")
        .sticky(true)
        .await
        .expect("AddClientNote");
    let second = client
        .add_client_note(ada, "Second note")
        .await
        .expect("AddClientNote");
    assert_eq!((first.noteid, second.noteid), (1, 2));
    let row = &mock.snapshot()["clients"]["notes"]["rows"]["1"];
    assert_eq!(row["note"], "Prefers email");
    assert_eq!(row["sticky"], true);
    assert_eq!(row["userid"], ada);

    let e = api_error(client.add_client_note(99, "x").await);
    assert!(matches!(e, AddClientNoteError::ClientNotFound), "{e:?}");
    let e = api_error(client.add_client_note(ada, "  ").await);
    assert!(matches!(e, AddClientNoteError::NotesEmpty), "{e:?}");
}

#[tokio::test]
async fn announcements_are_added_listed_updated_and_deleted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let older = client
        .add_announcement(at("2025-12-01 09:00:00"), "Older", "<p>old</p>")
        .published(true)
        .await
        .expect("AddAnnouncement")
        .announcementid;
    let newer = client
        .add_announcement(at("2025-12-20 09:00:00"), "Newer", "<p>new</p>")
        .await
        .expect("AddAnnouncement")
        .announcementid;
    assert_eq!((older, newer), (1, 2));

    let list = client.get_announcements().await.expect("list");
    assert_eq!(list.totalresults, Some(2));
    let titles: Vec<_> = list
        .announcements
        .iter()
        .filter_map(|a| a.title.as_deref())
        .collect();
    assert_eq!(titles, ["Newer", "Older"], "newest first");
    assert_eq!(list.announcements[1].published, Some(true));
    assert_eq!(list.announcements[0].published, Some(false));
    let page = client
        .get_announcements()
        .limitstart(1)
        .limitnum(1)
        .await
        .expect("page");
    assert_eq!(page.numreturned, Some(1));
    assert_eq!(page.announcements[0].id, Some(older));

    client
        .update_announcement(newer)
        .title("Newest")
        .published(true)
        .date(at("2025-12-31 09:00:00"))
        .await
        .expect("UpdateAnnouncement");
    let list = client.get_announcements().await.expect("list");
    assert_eq!(list.announcements[0].title.as_deref(), Some("Newest"));
    assert_eq!(list.announcements[0].published, Some(true));
    assert_eq!(list.announcements[0].date, Some(at("2025-12-31 09:00:00")));

    client
        .delete_announcement(older)
        .await
        .expect("DeleteAnnouncement");
    let list = client.get_announcements().await.expect("list");
    assert_eq!(list.totalresults, Some(1));
    let e = api_error(client.update_announcement(older).title("x").await);
    assert!(
        matches!(e, UpdateAnnouncementError::AnnouncementIdNotFound),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "Announcement ID Not Found");
}
