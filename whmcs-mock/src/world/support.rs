//! Support: departments, ticket statuses, tickets with their replies, staff notes and attached
//! files, canned replies, and client notes.
//!
//! The rules kept: a ticket opens as Open; a client's or guest's reply sets it to
//! Customer-Reply and a staff reply to Answered, unless the reply names a configured status; a
//! status must be one configured (GetSupportStatuses lists them); merging folds the other
//! tickets' messages and notes into the target and removes them; deleting a ticket removes its
//! replies and notes; the API admin sees only the departments it belongs to unless told to
//! ignore them; a deleted client's tickets and notes go with it. Counts (GetTicketCounts,
//! GetSupportStatuses, GetSupportDepartments) are derived from the tickets.

use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::tickets::{
    get_support_departments, get_ticket, get_ticket_notes, get_ticket_predefined_cats,
    get_ticket_predefined_replies, get_tickets,
};
use whmcs_api::actions::{
    AddTicketNote, AddTicketNoteError, AddTicketNoteResponse, AddTicketReply, AddTicketReplyError,
    AddTicketReplyResponse, AttachmentSource, BlockTicketSender, BlockTicketSenderError,
    BlockTicketSenderResponse, DeleteTicket, DeleteTicketError, DeleteTicketNote,
    DeleteTicketNoteError, DeleteTicketNoteResponse, DeleteTicketReply, DeleteTicketReplyError,
    DeleteTicketReplyResponse, DeleteTicketResponse, GetSupportDepartments,
    GetSupportDepartmentsError, GetSupportDepartmentsResponse, GetSupportStatuses,
    GetSupportStatusesError, GetSupportStatusesResponse, GetTicket, GetTicketAttachment,
    GetTicketAttachmentError, GetTicketAttachmentResponse, GetTicketCounts, GetTicketCountsError,
    GetTicketCountsResponse, GetTicketError, GetTicketNotes, GetTicketNotesError,
    GetTicketNotesResponse, GetTicketPredefinedCats, GetTicketPredefinedCatsError,
    GetTicketPredefinedCatsResponse, GetTicketPredefinedReplies, GetTicketPredefinedRepliesError,
    GetTicketPredefinedRepliesResponse, GetTicketResponse, GetTickets, GetTicketsError,
    GetTicketsResponse, MergeTicket, MergeTicketError, MergeTicketResponse, OpenTicket,
    OpenTicketError, OpenTicketResponse, SortOrder, TicketAttachment, TicketPriority,
    TicketStatusCount, UpdateTicket, UpdateTicketError, UpdateTicketReply, UpdateTicketReplyError,
    UpdateTicketReplyResponse, UpdateTicketResponse,
};

use super::API_ADMIN;
use super::codec::{self, Attachment};
use super::registry::Registry;
use super::{State, Table, calendar, page};

/// The support tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Support {
    pub(crate) departments: Table<Department>,
    /// The configured ticket statuses, in display order.
    pub(crate) statuses: Vec<TicketStatus>,
    pub(crate) tickets: Table<Ticket>,
    /// The id the next reply gets (replies are numbered across tickets).
    next_reply: i64,
    /// Staff notes on tickets.
    pub(crate) notes: Table<TicketNote>,
    /// Folders of canned replies.
    pub(crate) predefined_categories: Table<ReplyCategory>,
    /// Canned replies.
    pub(crate) predefined_replies: Table<PredefinedReply>,
}

/// A support department.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Department {
    pub(crate) name: String,
    pub(crate) email: String,
    /// Whether its tickets default to not being closable by the client.
    pub(crate) prevent_client_closure: bool,
}

/// A ticket status as configured.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct TicketStatus {
    pub(crate) title: String,
    /// Display colour, `#rrggbb`.
    pub(crate) color: String,
    /// Counted among active tickets.
    pub(crate) active: bool,
    /// Counted among tickets awaiting a staff reply.
    pub(crate) awaiting: bool,
}

/// Who wrote a ticket or reply, as WHMCS reports it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Requestor {
    pub(crate) name: String,
    pub(crate) email: String,
    /// `Owner`, `Authorized User`, `Sub-Account`, `Guest` or `Operator`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
}

/// A support ticket; its first message is the ticket's own (shown as reply 0).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Ticket {
    /// The number clients see.
    pub(crate) tid: String,
    /// The access key of the ticket's client-area link.
    pub(crate) c: String,
    pub(crate) deptid: i64,
    /// The client it belongs to (0 for a guest).
    pub(crate) userid: i64,
    pub(crate) contactid: i64,
    /// The guest's name and address (for a client, who opened it).
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) requestor: Requestor,
    /// The staff member who opened it, if one did.
    pub(crate) admin: String,
    pub(crate) cc: String,
    pub(crate) subject: String,
    pub(crate) message: String,
    pub(crate) markdown: bool,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) attachments_removed: bool,
    /// One of the configured statuses.
    pub(crate) status: String,
    pub(crate) priority: TicketPriority,
    pub(crate) date: DateTime,
    pub(crate) lastreply: DateTime,
    /// The admin it is flagged to (0 for none).
    pub(crate) flag: i64,
    /// The related service (`S1`) or domain (`D1`), or empty.
    pub(crate) service: String,
    pub(crate) prevent_client_closure: bool,
    pub(crate) replies: Vec<Reply>,
}

impl Default for Ticket {
    fn default() -> Self {
        Self {
            tid: String::new(),
            c: String::new(),
            deptid: 1,
            userid: 0,
            contactid: 0,
            name: String::new(),
            email: String::new(),
            requestor: Requestor::default(),
            admin: String::new(),
            cc: String::new(),
            subject: String::new(),
            message: String::new(),
            markdown: false,
            attachments: Vec::new(),
            attachments_removed: false,
            status: "Open".into(),
            priority: TicketPriority::Medium,
            date: calendar::installed(),
            lastreply: calendar::installed(),
            flag: 0,
            service: String::new(),
            prevent_client_closure: false,
            replies: Vec::new(),
        }
    }
}

/// A reply on a ticket.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Reply {
    pub(crate) id: i64,
    pub(crate) userid: i64,
    pub(crate) contactid: i64,
    /// A guest's name and address (empty for clients and staff).
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) requestor: Requestor,
    /// The staff member who wrote it (empty for a client or guest).
    pub(crate) admin: String,
    pub(crate) message: String,
    pub(crate) markdown: bool,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) attachments_removed: bool,
    pub(crate) date: DateTime,
    /// The client's rating of a staff reply (0 for none).
    pub(crate) rating: i64,
}

impl Default for Reply {
    fn default() -> Self {
        Self {
            id: 0,
            userid: 0,
            contactid: 0,
            name: String::new(),
            email: String::new(),
            requestor: Requestor::default(),
            admin: String::new(),
            message: String::new(),
            markdown: false,
            attachments: Vec::new(),
            attachments_removed: false,
            date: calendar::installed(),
            rating: 0,
        }
    }
}

/// A staff note on a ticket.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct TicketNote {
    pub(crate) ticketid: i64,
    /// The staff member who wrote it.
    pub(crate) admin: String,
    pub(crate) message: String,
    pub(crate) markdown: bool,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) attachments_removed: bool,
    pub(crate) date: DateTime,
}

impl Default for TicketNote {
    fn default() -> Self {
        Self {
            ticketid: 0,
            admin: String::new(),
            message: String::new(),
            markdown: false,
            attachments: Vec::new(),
            attachments_removed: false,
            date: calendar::installed(),
        }
    }
}

/// A folder of canned replies.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ReplyCategory {
    /// The folder it sits in (0 at the top).
    pub(crate) parentid: i64,
    pub(crate) name: String,
}

/// A canned reply.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct PredefinedReply {
    pub(crate) catid: i64,
    pub(crate) name: String,
    pub(crate) reply: String,
}

impl Default for Support {
    /// A fresh installation's support: one department and WHMCS's six ticket statuses.
    fn default() -> Self {
        let mut departments = Table::default();
        departments.insert(Department {
            name: "Support".into(),
            email: "support@example.com".into(),
            prevent_client_closure: false,
        });
        let statuses = [
            ("Open", "#779500", true, true),
            ("Answered", "#000000", true, false),
            ("Customer-Reply", "#ff6600", true, true),
            ("On Hold", "#224488", true, false),
            ("In Progress", "#cc0000", true, false),
            ("Closed", "#888888", false, false),
        ]
        .into_iter()
        .map(|(title, color, active, awaiting)| TicketStatus {
            title: title.into(),
            color: color.into(),
            active,
            awaiting,
        })
        .collect();
        Self {
            departments,
            statuses,
            tickets: Table::default(),
            next_reply: 1,
            notes: Table::default(),
            predefined_categories: Table::default(),
            predefined_replies: Table::default(),
        }
    }
}

impl Support {
    /// A fresh installation's support tables.
    pub(crate) fn fresh() -> Self {
        Self::default()
    }

    /// Whether ticket, department, reply, note or client note `id` exists; `None` for kinds
    /// kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "ticket" => Some(self.tickets.contains(id)),
            "department" => Some(self.departments.contains(id)),
            "reply" => Some(self.reply(id).is_some()),
            "note" | "ticket_note" => Some(self.notes.contains(id)),
            "predefined_category" => Some(self.predefined_categories.contains(id)),
            _ => None,
        }
    }

    /// The id for a new reply: past every reply id in use.
    fn reply_id(&mut self) -> i64 {
        let used = self
            .tickets
            .iter()
            .flat_map(|(_, t)| t.replies.iter().map(|r| r.id))
            .max()
            .unwrap_or(0);
        let id = self.next_reply.max(used + 1).max(1);
        self.next_reply = id + 1;
        id
    }

    /// The ticket holding reply `id`, and the reply.
    fn reply(&self, id: i64) -> Option<(i64, &Reply)> {
        self.tickets
            .iter()
            .find_map(|(tid, t)| t.replies.iter().find(|r| r.id == id).map(|r| (tid, r)))
    }

    /// The configured status named `title` (any case), by its own spelling.
    fn status(&self, title: &str) -> Option<&TicketStatus> {
        self.statuses
            .iter()
            .find(|s| s.title.eq_ignore_ascii_case(title.trim()))
    }

    /// Whether tickets in status `title` count as active.
    fn is_active(&self, title: &str) -> bool {
        self.status(title).is_some_and(|s| s.active)
    }

    /// Whether tickets in status `title` await a staff reply.
    fn is_awaiting(&self, title: &str) -> bool {
        self.status(title).is_some_and(|s| s.awaiting)
    }

    /// The configured statuses, comma-joined, as error messages list them.
    fn status_list(&self) -> String {
        self.statuses
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The ticket numbered `tid`.
    fn by_number(&self, tid: &str) -> Option<i64> {
        self.tickets
            .iter()
            .find(|(_, t)| t.tid == tid.trim())
            .map(|(id, _)| id)
    }

    /// Removes ticket `id` with its notes.
    fn remove_ticket(&mut self, id: i64) -> Option<Ticket> {
        let t = self.tickets.remove(id)?;
        self.notes.retain(|_, n| n.ticketid != id);
        Some(t)
    }

    /// A deleted client's tickets, ticket notes and client notes go with it.
    pub(crate) fn forget_client(&mut self, client: i64) {
        let gone: Vec<i64> = self
            .tickets
            .iter()
            .filter(|(_, t)| t.userid == client)
            .map(|(id, _)| id)
            .collect();
        for id in gone {
            self.remove_ticket(id);
        }
    }
}

/// The departments the API admin's listings cover: those it belongs to, or all of them when
/// `ignore` is set (or the admin is gone).
fn visible_departments(w: &State, ignore: bool) -> Vec<i64> {
    let all = w.support.departments.iter().map(|(id, _)| id);
    match w.admins.api_departments() {
        Some(mine) if !ignore => all.filter(|id| mine.contains(id)).collect(),
        _ => all.collect(),
    }
}

/// Ticket figures: active, awaiting reply, flagged to the API admin, and per status, over the
/// tickets of `departments`.
pub(crate) struct Counts {
    pub(crate) active: i64,
    pub(crate) awaiting: i64,
    pub(crate) flagged: i64,
    /// Each configured status with its ticket count, in display order.
    pub(crate) by_status: Vec<(String, i64)>,
}

/// Counts the tickets of the departments the API admin sees (all with `ignore`).
pub(crate) fn counts(w: &State, ignore: bool) -> Counts {
    let depts = visible_departments(w, ignore);
    let tickets: Vec<&Ticket> = w
        .support
        .tickets
        .iter()
        .map(|(_, t)| t)
        .filter(|t| depts.contains(&t.deptid))
        .collect();
    let s = &w.support;
    Counts {
        active: tickets.iter().filter(|t| s.is_active(&t.status)).count() as i64,
        awaiting: tickets.iter().filter(|t| s.is_awaiting(&t.status)).count() as i64,
        flagged: tickets
            .iter()
            .filter(|t| t.flag == API_ADMIN && s.is_active(&t.status))
            .count() as i64,
        by_status: s
            .statuses
            .iter()
            .map(|st| {
                let n = tickets
                    .iter()
                    .filter(|t| t.status.eq_ignore_ascii_case(&st.title))
                    .count();
                (st.title.clone(), n as i64)
            })
            .collect(),
    }
}

/// Registers the support actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.on::<OpenTicket>(open_ticket);
    r.read::<GetTickets>(get_tickets);
    r.read::<GetTicket>(get_ticket);
    r.on::<AddTicketReply>(add_ticket_reply);
    r.on::<UpdateTicket>(update_ticket);
    r.on::<UpdateTicketReply>(update_ticket_reply);
    r.on::<DeleteTicket>(delete_ticket);
    r.on::<DeleteTicketReply>(delete_ticket_reply);
    r.on::<DeleteTicketNote>(delete_ticket_note);
    r.on::<MergeTicket>(merge_ticket);
    r.on::<AddTicketNote>(add_ticket_note);
    r.read::<GetTicketNotes>(get_ticket_notes);
    r.read::<GetTicketAttachment>(get_ticket_attachment);
    r.read::<GetTicketCounts>(get_ticket_counts);
    r.read::<GetSupportStatuses>(get_support_statuses);
    r.read::<GetSupportDepartments>(get_support_departments);
    r.read::<GetTicketPredefinedCats>(get_ticket_predefined_cats);
    r.read::<GetTicketPredefinedReplies>(get_ticket_predefined_replies);
    r.on::<BlockTicketSender>(block_ticket_sender);
}

/// Why a `created` parameter was refused.
enum Created {
    Invalid,
    Future,
}

/// The moment a `created` parameter names (now when absent); not after now.
fn created(w: &State, text: Option<&str>) -> Result<DateTime, Created> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(w.now);
    };
    let at = calendar::parse_moment(text).ok_or(Created::Invalid)?;
    if at > w.now {
        return Err(Created::Future);
    }
    Ok(at)
}

/// Why an author could not be settled.
enum Author {
    UserNotFound,
    Missing,
    BadEmail,
}

/// A guest's name and address, both required, the address plausible.
fn guest(name: Option<String>, email: Option<String>) -> Result<Requestor, Author> {
    match (name, email) {
        (Some(n), Some(e)) if !n.trim().is_empty() && !e.trim().is_empty() => {
            if codec::valid_email(e.trim()) {
                Ok(Requestor {
                    name: n,
                    email: e,
                    kind: "Guest".into(),
                })
            } else {
                Err(Author::BadEmail)
            }
        }
        _ => Err(Author::Missing),
    }
}

/// The client `clientid` as a requestor, or its user `userid` (who must reach that client).
fn client_requestor(w: &State, clientid: i64, userid: Option<i64>) -> Result<Requestor, Author> {
    let Some(c) = w.clients.clients.get(clientid) else {
        return Err(Author::Missing);
    };
    match userid {
        Some(uid) => {
            let u = w
                .clients
                .users
                .get(uid)
                .filter(|u| u.clients.contains(&clientid))
                .ok_or(Author::UserNotFound)?;
            Ok(Requestor {
                name: format!("{} {}", u.firstname, u.lastname),
                email: u.email.clone(),
                kind: if c.owner_user_id == uid {
                    "Owner".into()
                } else {
                    "Authorized User".into()
                },
            })
        }
        None => Ok(Requestor {
            name: c.fullname(),
            email: c.email.clone(),
            kind: "Owner".into(),
        }),
    }
}

/// The six-digit number of ticket `id`: a permutation of ids modulo a million, stepped past any
/// number already taken.
fn ticket_number(w: &State, id: i64) -> Option<String> {
    let mut n = (id.rem_euclid(1_000_000) * 7919 + 104_729) % 1_000_000;
    for _ in 0..1000 {
        let tid = format!("{n:06}");
        if w.support.by_number(&tid).is_none() {
            return Some(tid);
        }
        n = (n + 1) % 1_000_000;
    }
    None
}

/// An eight-letter access key for ticket `id`.
fn access_key(id: i64) -> String {
    /// The letters access keys are made of.
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995;
    (0..8)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            char::from(LETTERS[((x >> 33) % LETTERS.len() as u64) as usize])
        })
        .collect()
}

/// Opens a ticket, Open, for a client (or one of its users) or a guest, in a department.
fn open_ticket(w: &mut State, r: OpenTicket) -> Result<OpenTicketResponse, OpenTicketError> {
    let dept = w
        .support
        .departments
        .get(r.deptid)
        .ok_or(OpenTicketError::DepartmentNotFound)?;
    let prevent = r
        .prevent_client_closure
        .unwrap_or(dept.prevent_client_closure);
    let requestor = match r.clientid {
        Some(cid) if cid > 0 => client_requestor(w, cid, r.userid),
        _ => guest(r.name, r.email),
    }
    .map_err(|e| match e {
        Author::UserNotFound => OpenTicketError::UserNotFound,
        Author::BadEmail => OpenTicketError::InvalidEmailAddress,
        Author::Missing => OpenTicketError::NameAndEmailRequired,
    })?;
    let date = created(w, r.created.as_deref()).map_err(|e| match e {
        Created::Invalid => OpenTicketError::InvalidDateFormat,
        Created::Future => OpenTicketError::CreationDateInFuture,
    })?;
    let attachments = codec::attachments(r.attachments.as_deref()).unwrap_or_default();
    let userid = r.clientid.unwrap_or(0).max(0);
    let service = match (r.serviceid, r.domainid) {
        (Some(s), _) => format!("S{s}"),
        (None, Some(d)) => format!("D{d}"),
        (None, None) => String::new(),
    };
    let admin = if r.admin.unwrap_or(false) {
        w.admins.name(API_ADMIN).unwrap_or_default()
    } else {
        String::new()
    };
    let id = w.support.tickets.insert(Ticket {
        deptid: r.deptid,
        userid,
        contactid: r.contactid.unwrap_or(0),
        name: requestor.name.clone(),
        email: requestor.email.clone(),
        requestor,
        admin,
        subject: r.subject,
        message: r.message,
        markdown: r.markdown.unwrap_or(false),
        attachments,
        status: "Open".into(),
        priority: r.priority.unwrap_or(TicketPriority::Medium),
        date,
        lastreply: date,
        service,
        prevent_client_closure: prevent,
        ..Ticket::default()
    });
    let Some(tid) = ticket_number(w, id) else {
        w.support.tickets.remove(id);
        return Err(OpenTicketError::TicketNumberGenerationFailed);
    };
    let c = access_key(id);
    if let Some(t) = w.support.tickets.get_mut(id) {
        t.tid = tid.clone();
        t.c = c.clone();
    }
    w.log(
        userid,
        format!("New Support Ticket Opened - Ticket ID: {id}"),
    );
    Ok(OpenTicketResponse {
        id,
        tid,
        c: Some(c),
        ..Default::default()
    })
}

/// What answers show of attached files: the stored names (`123456_name.png`, pipe-joined) and
/// each file with its index.
fn attachment_fields(seed: i64, files: &[Attachment]) -> (String, Vec<TicketAttachment>) {
    let stored = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let n =
                (seed.rem_euclid(1_000_000) * 7 + i as i64 * 104_723 + 100_000) % 900_000 + 100_000;
            format!("{n}_{}", f.filename)
        })
        .collect::<Vec<_>>()
        .join("|");
    let list = files
        .iter()
        .enumerate()
        .map(|(i, f)| TicketAttachment {
            filename: Some(f.filename.clone()),
            index: Some(i as i64),
            ..Default::default()
        })
        .collect();
    (stored, list)
}

/// The name of the client a ticket belongs to, or the guest's.
fn owner_name(w: &State, t: &Ticket) -> String {
    w.clients
        .clients
        .get(t.userid)
        .map_or_else(|| t.name.clone(), |c| c.fullname())
}

/// A ticket's list row.
fn ticket_row(w: &State, id: i64, t: &Ticket) -> get_tickets::Ticket {
    let (attachment, attachments) = attachment_fields(id, &t.attachments);
    get_tickets::Ticket {
        id: Some(id),
        tid: Some(t.tid.clone()),
        deptid: Some(t.deptid),
        userid: Some(t.userid),
        name: Some(t.name.clone()),
        owner_name: Some(owner_name(w, t)),
        email: Some(t.email.clone()),
        requestor_name: Some(t.requestor.name.clone()),
        requestor_email: Some(t.requestor.email.clone()),
        requestor_type: Some(t.requestor.kind.clone()),
        cc: Some(t.cc.clone()),
        access_key: Some(t.c.clone()),
        date: Some(t.date),
        subject: Some(t.subject.clone()),
        status: Some(t.status.clone()),
        priority: Some(t.priority.clone()),
        admin: Some(t.admin.clone()),
        attachment: Some(attachment),
        attachments,
        attachments_removed: Some(t.attachments_removed),
        lastreply: Some(t.lastreply),
        flag: Some(t.flag),
        service: Some(t.service.clone()),
        ..Default::default()
    }
}

/// Lists tickets, newest first, of the departments the API admin belongs to (all with
/// `ignore_dept_assignments`). `status` is a configured status or one of `Awaiting Reply`,
/// `All Active Tickets` and `My Flagged Tickets`; `subject` matches any part, in any case;
/// `email` finds guests' tickets.
fn get_tickets(w: &State, r: GetTickets) -> Result<GetTicketsResponse, GetTicketsError> {
    let depts = visible_departments(w, r.ignore_dept_assignments.unwrap_or(false));
    let subject = r.subject.as_deref().map(str::to_lowercase);
    let s = &w.support;
    let rows: Vec<get_tickets::Ticket> = s
        .tickets
        .iter()
        .rev()
        .filter(|(_, t)| depts.contains(&t.deptid))
        .filter(|(_, t)| r.deptid.is_none_or(|d| d == t.deptid))
        .filter(|(_, t)| r.clientid.is_none_or(|c| c == t.userid))
        .filter(|(_, t)| {
            r.email
                .as_ref()
                .is_none_or(|e| t.userid == 0 && e.trim().eq_ignore_ascii_case(&t.email))
        })
        .filter(|(_, t)| {
            subject
                .as_ref()
                .is_none_or(|q| t.subject.to_lowercase().contains(q.as_str()))
        })
        .filter(|(_, t)| match r.status.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(q) if q.eq_ignore_ascii_case("All Active Tickets") => s.is_active(&t.status),
            Some(q) if q.eq_ignore_ascii_case("Awaiting Reply") => s.is_awaiting(&t.status),
            Some(q) if q.eq_ignore_ascii_case("My Flagged Tickets") => {
                t.flag == API_ADMIN && s.is_active(&t.status)
            }
            Some(q) => t.status.eq_ignore_ascii_case(q),
        })
        .map(|(id, t)| ticket_row(w, id, t))
        .collect();
    let (total, start, tickets) = page(rows, r.limitstart, r.limitnum);
    Ok(GetTicketsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(tickets.len() as i64),
        tickets,
        ..Default::default()
    })
}

/// A ticket by id or number: its opening message as reply 0, then the replies, and its notes.
fn get_ticket(w: &State, r: GetTicket) -> Result<GetTicketResponse, GetTicketError> {
    let id = match (r.ticketid, r.ticketnum.as_deref()) {
        (Some(id), _) => Some(id),
        (None, Some(num)) => w.support.by_number(num),
        (None, None) => None,
    };
    let (id, t) = id
        .and_then(|id| w.support.tickets.get(id).map(|t| (id, t)))
        .ok_or(GetTicketError::TicketNotFound)?;
    let (attachment, attachments) = attachment_fields(id, &t.attachments);
    let opening = get_ticket::TicketReply {
        replyid: Some(0),
        userid: Some(t.userid),
        contactid: Some(t.contactid),
        name: Some(t.name.clone()),
        email: Some(t.email.clone()),
        requestor_name: Some(t.requestor.name.clone()),
        requestor_email: Some(t.requestor.email.clone()),
        requestor_type: Some(t.requestor.kind.clone()),
        date: Some(t.date),
        message: Some(t.message.clone()),
        attachment: Some(attachment),
        attachments,
        attachments_removed: Some(t.attachments_removed),
        admin: Some(t.admin.clone()),
        ..Default::default()
    };
    let mut replies: Vec<get_ticket::TicketReply> = std::iter::once(opening)
        .chain(t.replies.iter().map(|rep| {
            let (attachment, attachments) = attachment_fields(rep.id, &rep.attachments);
            get_ticket::TicketReply {
                replyid: Some(rep.id),
                userid: Some(rep.userid),
                contactid: Some(rep.contactid),
                name: Some(rep.name.clone()),
                email: Some(rep.email.clone()),
                requestor_name: Some(rep.requestor.name.clone()),
                requestor_email: Some(rep.requestor.email.clone()),
                requestor_type: Some(rep.requestor.kind.clone()),
                date: Some(rep.date),
                message: Some(rep.message.clone()),
                attachment: Some(attachment),
                attachments,
                attachments_removed: Some(rep.attachments_removed),
                admin: Some(rep.admin.clone()),
                rating: Some(rep.rating),
                ..Default::default()
            }
        }))
        .collect();
    if r.repliessort == Some(SortOrder::Desc) {
        replies.reverse();
    }
    let notes = w
        .support
        .notes
        .iter()
        .filter(|(_, n)| n.ticketid == id)
        .map(|(nid, n)| {
            let (attachment, attachments) = attachment_fields(nid, &n.attachments);
            get_ticket::TicketNote {
                noteid: Some(nid),
                date: Some(n.date),
                message: Some(n.message.clone()),
                attachment: Some(attachment),
                attachments,
                attachments_removed: Some(n.attachments_removed),
                admin: Some(n.admin.clone()),
                ..Default::default()
            }
        })
        .collect();
    Ok(GetTicketResponse {
        ticketid: Some(id),
        tid: Some(t.tid.clone()),
        access_key: Some(t.c.clone()),
        deptid: Some(t.deptid),
        deptname: w.support.departments.get(t.deptid).map(|d| d.name.clone()),
        userid: Some(t.userid),
        contactid: Some(t.contactid),
        name: Some(t.name.clone()),
        email: Some(t.email.clone()),
        cc: Some(t.cc.clone()),
        date: Some(t.date),
        subject: Some(t.subject.clone()),
        status: Some(t.status.clone()),
        priority: Some(t.priority.clone()),
        admin: Some(t.admin.clone()),
        lastreply: Some(t.lastreply),
        flag: Some(t.flag),
        service: Some(t.service.clone()),
        replies,
        notes,
        requestor_name: Some(t.requestor.name.clone()),
        requestor_type: Some(t.requestor.kind.clone()),
        requestor_email: Some(t.requestor.email.clone()),
        ..Default::default()
    })
}

/// Adds a reply by staff, a client or a guest, and sets the ticket's status: the one named,
/// else Answered after staff and Customer-Reply after anyone else.
fn add_ticket_reply(
    w: &mut State,
    r: AddTicketReply,
) -> Result<AddTicketReplyResponse, AddTicketReplyError> {
    let owner = w
        .support
        .tickets
        .get(r.ticketid)
        .map(|t| t.userid)
        .ok_or(AddTicketReplyError::TicketNotFound)?;
    let status = match r.status.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(
            w.support
                .status(s)
                .map(|s| s.title.clone())
                .ok_or(AddTicketReplyError::InvalidTicketStatus)?,
        ),
        None => None,
    };
    let staff = r.adminusername.as_deref().filter(|_| r.clientid.is_none());
    let (userid, name, email, requestor, admin) = match staff {
        Some(username) => {
            let admin = w
                .admins
                .by_username(username)
                .map_or_else(|| username.to_string(), |(_, a)| a.full_name());
            let who = Requestor {
                name: admin.clone(),
                email: String::new(),
                kind: "Operator".into(),
            };
            (owner, String::new(), String::new(), who, admin)
        }
        None => match r.clientid {
            Some(cid) => {
                let who = client_requestor(w, cid, None)
                    .map_err(|_| AddTicketReplyError::ClientNotFound)?;
                (cid, String::new(), String::new(), who, String::new())
            }
            None => {
                let who = guest(r.name, r.email).map_err(|e| match e {
                    Author::BadEmail => AddTicketReplyError::InvalidEmailAddress,
                    _ => AddTicketReplyError::NameAndEmailRequired,
                })?;
                (0, who.name.clone(), who.email.clone(), who, String::new())
            }
        },
    };
    let date = created(w, r.created.as_deref()).map_err(|e| match e {
        Created::Invalid => AddTicketReplyError::InvalidDateFormat,
        Created::Future => AddTicketReplyError::ReplyDateInFuture,
    })?;
    let attachments = codec::attachments(r.attachments.as_deref()).unwrap_or_default();
    let by_staff = staff.is_some();
    let id = w.support.reply_id();
    let t = w
        .support
        .tickets
        .get_mut(r.ticketid)
        .ok_or(AddTicketReplyError::TicketNotFound)?;
    t.replies.push(Reply {
        id,
        userid,
        contactid: r.contactid.unwrap_or(0),
        name,
        email,
        requestor,
        admin,
        message: r.message,
        markdown: r.markdown.unwrap_or(false),
        attachments,
        attachments_removed: false,
        date,
        rating: 0,
    });
    t.lastreply = t.lastreply.max(date);
    t.status = match status {
        Some(s) => s,
        None if by_staff => "Answered".into(),
        None => "Customer-Reply".into(),
    };
    w.log(
        owner,
        format!("Ticket Reply Added - Ticket ID: {}", r.ticketid),
    );
    Ok(AddTicketReplyResponse::default())
}

/// Changes the fields given of a ticket; a status must be a configured one.
fn update_ticket(
    w: &mut State,
    r: UpdateTicket,
) -> Result<UpdateTicketResponse, UpdateTicketError> {
    let status = match r.status.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(
            w.support
                .status(s)
                .map(|s| s.title.clone())
                .ok_or_else(|| UpdateTicketError::InvalidTicketStatus {
                    statuses: w.support.status_list(),
                })?,
        ),
        None => None,
    };
    let date = match r.created.as_deref() {
        Some(text) => Some(created(w, Some(text)).map_err(|e| match e {
            Created::Invalid => UpdateTicketError::InvalidDateFormat,
            Created::Future => UpdateTicketError::CreationDateInFuture,
        })?),
        None => None,
    };
    let reassigned = r
        .userid
        .filter(|u| *u > 0)
        .and_then(|u| client_requestor(w, u, None).ok().map(|who| (u, who)));
    let dept_closure = r
        .deptid
        .and_then(|d| w.support.departments.get(d))
        .map(|d| d.prevent_client_closure);
    let t = w
        .support
        .tickets
        .get_mut(r.ticketid)
        .ok_or(UpdateTicketError::TicketNotFound)?;
    if let Some(v) = r.subject {
        t.subject = v;
    }
    if let Some(d) = r.deptid {
        t.deptid = d;
    }
    if let Some(s) = status {
        t.status = s;
    }
    if let Some((uid, who)) = reassigned {
        t.userid = uid;
        t.name = who.name.clone();
        t.email = who.email.clone();
        t.requestor = who;
    }
    if let Some(v) = r.name {
        t.name = v.clone();
        t.requestor.name = v;
    }
    if let Some(v) = r.email {
        t.email = v.clone();
        t.requestor.email = v;
    }
    if let Some(v) = r.cc {
        t.cc = v;
    }
    if let Some(v) = r.priority {
        t.priority = v;
    }
    if let Some(d) = date {
        t.date = d;
    }
    if r.remove_flag.unwrap_or(false) {
        t.flag = 0;
    } else if let Some(f) = r.flag {
        t.flag = f.max(0);
    }
    if let Some(v) = r.message {
        t.message = v;
    }
    if let Some(v) = r.markdown {
        t.markdown = v;
    }
    match (r.prevent_client_closure, dept_closure) {
        (Some(v), _) | (None, Some(v)) => t.prevent_client_closure = v,
        (None, None) => {}
    }
    let owner = t.userid;
    w.log(
        owner,
        format!("Ticket Modified - Ticket ID: {}", r.ticketid),
    );
    Ok(UpdateTicketResponse {
        ticketid: Some(r.ticketid),
        ..Default::default()
    })
}

/// Rewrites a reply's message (and its time, if given).
fn update_ticket_reply(
    w: &mut State,
    r: UpdateTicketReply,
) -> Result<UpdateTicketReplyResponse, UpdateTicketReplyError> {
    let date = match r.created.as_deref() {
        Some(text) => Some(created(w, Some(text)).map_err(|e| match e {
            Created::Invalid => UpdateTicketReplyError::InvalidDateFormat,
            Created::Future => UpdateTicketReplyError::ReplyDateInFuture,
        })?),
        None => None,
    };
    let (ticket, _) = w
        .support
        .reply(r.replyid)
        .ok_or(UpdateTicketReplyError::ReplyNotFound)?;
    let t = w
        .support
        .tickets
        .get_mut(ticket)
        .ok_or(UpdateTicketReplyError::ReplyNotFound)?;
    let rep = t
        .replies
        .iter_mut()
        .find(|rep| rep.id == r.replyid)
        .ok_or(UpdateTicketReplyError::ReplyNotFound)?;
    rep.message = r.message;
    if let Some(m) = r.markdown {
        rep.markdown = m;
    }
    if let Some(d) = date {
        rep.date = d;
    }
    let owner = t.userid;
    w.log(
        owner,
        format!(
            "Ticket Reply Modified - Ticket ID: {ticket} - Reply ID: {}",
            r.replyid
        ),
    );
    Ok(UpdateTicketReplyResponse {
        replyid: Some(r.replyid),
        ..Default::default()
    })
}

/// Erases a ticket with its replies and notes.
fn delete_ticket(
    w: &mut State,
    r: DeleteTicket,
) -> Result<DeleteTicketResponse, DeleteTicketError> {
    let t = w
        .support
        .remove_ticket(r.ticketid)
        .ok_or(DeleteTicketError::TicketNotFound)?;
    w.log(
        t.userid,
        format!("Deleted Ticket - Ticket ID: {}", r.ticketid),
    );
    Ok(DeleteTicketResponse::default())
}

/// Removes one reply; it must be on the ticket named.
fn delete_ticket_reply(
    w: &mut State,
    r: DeleteTicketReply,
) -> Result<DeleteTicketReplyResponse, DeleteTicketReplyError> {
    let t = w
        .support
        .tickets
        .get_mut(r.ticketid)
        .ok_or(DeleteTicketReplyError::TicketNotFound)?;
    let before = t.replies.len();
    t.replies.retain(|rep| rep.id != r.replyid);
    if t.replies.len() == before {
        return Err(DeleteTicketReplyError::ReplyNotFound);
    }
    t.lastreply = t.replies.iter().map(|rep| rep.date).max().unwrap_or(t.date);
    let owner = t.userid;
    w.log(
        owner,
        format!(
            "Deleted Ticket Reply - Ticket ID: {} - Reply ID: {}",
            r.ticketid, r.replyid
        ),
    );
    Ok(DeleteTicketReplyResponse::default())
}

/// Removes one ticket note.
fn delete_ticket_note(
    w: &mut State,
    r: DeleteTicketNote,
) -> Result<DeleteTicketNoteResponse, DeleteTicketNoteError> {
    let note = w
        .support
        .notes
        .remove(r.noteid)
        .ok_or(DeleteTicketNoteError::NoteNotFound)?;
    let owner = w.support.tickets.get(note.ticketid).map_or(0, |t| t.userid);
    w.log(
        owner,
        format!(
            "Deleted Ticket Note - Ticket ID: {} - Note ID: {}",
            note.ticketid, r.noteid
        ),
    );
    Ok(DeleteTicketNoteResponse::default())
}

/// Folds the tickets of `mergeticketids` into `ticketid`: their opening messages become
/// replies, their replies and notes move over, the thread is put in date order, and they are
/// removed. Ids that name no ticket are refused together, before anything changes.
fn merge_ticket(w: &mut State, r: MergeTicket) -> Result<MergeTicketResponse, MergeTicketError> {
    if !w.support.tickets.contains(r.ticketid) {
        return Err(MergeTicketError::TicketIdInvalid);
    }
    let parts: Vec<&str> = r
        .mergeticketids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(MergeTicketError::MergeTicketIdsRequired);
    }
    let invalid: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| {
            p.parse::<i64>()
                .map_or(true, |id| !w.support.tickets.contains(id))
        })
        .collect();
    if !invalid.is_empty() {
        return Err(MergeTicketError::InvalidMergeTicketIds {
            ticket_ids: invalid.join(", "),
        });
    }
    let mut sources: Vec<i64> = parts
        .iter()
        .filter_map(|p| p.parse::<i64>().ok())
        .filter(|id| *id != r.ticketid)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let mut moved = Vec::new();
    for source in &sources {
        let Some(t) = w.support.tickets.remove(*source) else {
            continue;
        };
        let id = w.support.reply_id();
        moved.push(Reply {
            id,
            userid: t.userid,
            contactid: t.contactid,
            name: if t.userid == 0 {
                t.name.clone()
            } else {
                String::new()
            },
            email: if t.userid == 0 {
                t.email.clone()
            } else {
                String::new()
            },
            requestor: t.requestor.clone(),
            admin: t.admin.clone(),
            message: t.message.clone(),
            markdown: t.markdown,
            attachments: t.attachments.clone(),
            attachments_removed: t.attachments_removed,
            date: t.date,
            rating: 0,
        });
        moved.extend(t.replies);
        for (_, n) in w.support.notes.iter_mut() {
            if n.ticketid == *source {
                n.ticketid = r.ticketid;
            }
        }
    }
    let target = w
        .support
        .tickets
        .get_mut(r.ticketid)
        .ok_or(MergeTicketError::TicketIdInvalid)?;
    target.replies.extend(moved);
    // A stable sort: at the same second a ticket's opening message stays before its replies.
    target.replies.sort_by_key(|rep| rep.date);
    target.lastreply = target
        .replies
        .iter()
        .map(|rep| rep.date)
        .chain([target.lastreply])
        .max()
        .unwrap_or(target.lastreply);
    if let Some(s) = r.newsubject.or(r.subject).filter(|s| !s.trim().is_empty()) {
        target.subject = s;
    }
    let owner = target.userid;
    let merged: Vec<String> = sources.iter().map(i64::to_string).collect();
    w.log(
        owner,
        format!(
            "Merged Tickets {} into Ticket ID: {}",
            merged.join(", "),
            r.ticketid
        ),
    );
    Ok(MergeTicketResponse {
        ticketid: Some(r.ticketid),
        ..Default::default()
    })
}

/// Adds a staff note, by the API admin, to a ticket named by id or number.
fn add_ticket_note(
    w: &mut State,
    r: AddTicketNote,
) -> Result<AddTicketNoteResponse, AddTicketNoteError> {
    let ticket = match (r.ticketid, r.ticketnum.as_deref()) {
        (Some(id), _) => Some(id).filter(|id| w.support.tickets.contains(*id)),
        (None, Some(num)) => w.support.by_number(num),
        (None, None) => None,
    }
    .ok_or(AddTicketNoteError::TicketNotFound)?;
    let date = created(w, r.created.as_deref()).map_err(|e| match e {
        Created::Invalid => AddTicketNoteError::InvalidDateFormat,
        Created::Future => AddTicketNoteError::CreationDateInFuture,
    })?;
    let attachments = codec::attachments(r.attachments.as_deref()).unwrap_or_default();
    let id = w.support.notes.insert(TicketNote {
        ticketid: ticket,
        admin: w.admins.name(API_ADMIN).unwrap_or_default(),
        message: r.message,
        markdown: r.markdown.unwrap_or(false),
        attachments,
        attachments_removed: false,
        date,
    });
    let owner = w.support.tickets.get(ticket).map_or(0, |t| t.userid);
    w.log(
        owner,
        format!("Ticket Note Added - Ticket ID: {ticket} - Note ID: {id}"),
    );
    Ok(AddTicketNoteResponse::default())
}

/// A ticket's notes, oldest first; a ticket that does not exist has none (the reference
/// documents no error).
fn get_ticket_notes(
    w: &State,
    r: GetTicketNotes,
) -> Result<GetTicketNotesResponse, GetTicketNotesError> {
    let notes: Vec<get_ticket_notes::TicketNote> = w
        .support
        .notes
        .iter()
        .filter(|(_, n)| n.ticketid == r.ticketid)
        .map(|(id, n)| get_ticket_notes::TicketNote {
            id: Some(id),
            admin: Some(n.admin.clone()),
            date: Some(n.date),
            message: Some(n.message.clone()),
            attachment: Some(attachment_fields(id, &n.attachments).0),
            attachments_removed: Some(n.attachments_removed),
            ..Default::default()
        })
        .collect();
    Ok(GetTicketNotesResponse {
        totalresults: Some(notes.len() as i64),
        notes,
        ..Default::default()
    })
}

/// One file attached to a ticket's opening message, a reply or a note.
fn get_ticket_attachment(
    w: &State,
    r: GetTicketAttachment,
) -> Result<GetTicketAttachmentResponse, GetTicketAttachmentError> {
    let s = &w.support;
    let (files, removed) = match r.related_type {
        AttachmentSource::Ticket => s
            .tickets
            .get(r.relatedid)
            .map(|t| (&t.attachments, t.attachments_removed)),
        AttachmentSource::Reply => s
            .reply(r.relatedid)
            .map(|(_, rep)| (&rep.attachments, rep.attachments_removed)),
        AttachmentSource::Note => s
            .notes
            .get(r.relatedid)
            .map(|n| (&n.attachments, n.attachments_removed)),
        _ => return Err(GetTicketAttachmentError::InvalidType),
    }
    .ok_or(GetTicketAttachmentError::RelatedIdNotFound)?;
    if removed {
        return Err(GetTicketAttachmentError::AttachmentsDeleted);
    }
    if files.is_empty() {
        return Err(GetTicketAttachmentError::NoAttachmentsFound);
    }
    let file = usize::try_from(r.index)
        .ok()
        .and_then(|i| files.get(i))
        .ok_or(GetTicketAttachmentError::InvalidAttachmentIndex)?;
    Ok(GetTicketAttachmentResponse {
        filename: Some(file.filename.clone()),
        data: Some(file.data.clone()),
        ..Default::default()
    })
}

/// A status's key in GetTicketCounts: its title in lower case without spaces or dashes.
fn slug(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// Active, awaiting-reply and flagged tickets, and per status when asked.
fn get_ticket_counts(
    w: &State,
    r: GetTicketCounts,
) -> Result<GetTicketCountsResponse, GetTicketCountsError> {
    let ignore = r.ignore_department_assignments.unwrap_or(false);
    let c = counts(w, ignore);
    let mut answer = GetTicketCountsResponse {
        filtered_departments: visible_departments(w, ignore),
        all_active: Some(c.active),
        awaiting_reply: Some(c.awaiting),
        flagged_tickets: Some(c.flagged),
        ..Default::default()
    };
    if r.include_counts_by_status.unwrap_or(false) {
        answer.by_status = c
            .by_status
            .into_iter()
            .map(|(title, count)| {
                (
                    slug(&title),
                    TicketStatusCount {
                        title: Some(title),
                        count: Some(count),
                        ..Default::default()
                    },
                )
            })
            .collect();
    }
    Ok(answer)
}

/// The configured statuses, each with its ticket count (of one department if asked).
fn get_support_statuses(
    w: &State,
    r: GetSupportStatuses,
) -> Result<GetSupportStatusesResponse, GetSupportStatusesError> {
    let statuses: Vec<TicketStatusCount> = w
        .support
        .statuses
        .iter()
        .map(|st| TicketStatusCount {
            title: Some(st.title.clone()),
            count: Some(
                w.support
                    .tickets
                    .iter()
                    .filter(|(_, t)| r.deptid.is_none_or(|d| d == t.deptid))
                    .filter(|(_, t)| t.status.eq_ignore_ascii_case(&st.title))
                    .count() as i64,
            ),
            color: Some(st.color.clone()),
            ..Default::default()
        })
        .collect();
    Ok(GetSupportStatusesResponse {
        totalresults: Some(statuses.len() as i64),
        statuses,
        ..Default::default()
    })
}

/// The departments the API admin sees, with their active and awaiting tickets.
fn get_support_departments(
    w: &State,
    r: GetSupportDepartments,
) -> Result<GetSupportDepartmentsResponse, GetSupportDepartmentsError> {
    let visible = visible_departments(w, r.ignore_dept_assignments.unwrap_or(false));
    let s = &w.support;
    let departments: Vec<get_support_departments::Department> = s
        .departments
        .iter()
        .filter(|(id, _)| visible.contains(id))
        .map(|(id, d)| {
            let mine = || s.tickets.iter().filter(move |(_, t)| t.deptid == id);
            get_support_departments::Department {
                id: Some(id),
                name: Some(d.name.clone()),
                awaitingreply: Some(mine().filter(|(_, t)| s.is_awaiting(&t.status)).count()
                    as i64),
                opentickets: Some(mine().filter(|(_, t)| s.is_active(&t.status)).count() as i64),
                ..Default::default()
            }
        })
        .collect();
    Ok(GetSupportDepartmentsResponse {
        totalresults: Some(departments.len() as i64),
        departments,
        ..Default::default()
    })
}

/// The canned-reply folders by name, each with the number of replies filed in it.
fn get_ticket_predefined_cats(
    w: &State,
    _: GetTicketPredefinedCats,
) -> Result<GetTicketPredefinedCatsResponse, GetTicketPredefinedCatsError> {
    let mut all: Vec<(i64, &ReplyCategory)> = w.support.predefined_categories.iter().collect();
    all.sort_by(|(ia, a), (ib, b)| a.name.cmp(&b.name).then(ia.cmp(ib)));
    let categories: Vec<get_ticket_predefined_cats::ReplyCategory> = all
        .into_iter()
        .map(|(id, c)| get_ticket_predefined_cats::ReplyCategory {
            id: Some(id),
            parentid: Some(c.parentid),
            name: Some(c.name.clone()),
            replycount: Some(
                w.support
                    .predefined_replies
                    .iter()
                    .filter(|(_, rep)| rep.catid == id)
                    .count() as i64,
            ),
            ..Default::default()
        })
        .collect();
    Ok(GetTicketPredefinedCatsResponse {
        totalresults: Some(categories.len() as i64),
        categories,
        ..Default::default()
    })
}

/// The canned replies by name, optionally only those of one folder.
fn get_ticket_predefined_replies(
    w: &State,
    r: GetTicketPredefinedReplies,
) -> Result<GetTicketPredefinedRepliesResponse, GetTicketPredefinedRepliesError> {
    let mut all: Vec<(i64, &PredefinedReply)> = w
        .support
        .predefined_replies
        .iter()
        .filter(|(_, rep)| r.catid.is_none_or(|c| c == rep.catid))
        .collect();
    all.sort_by(|(ia, a), (ib, b)| a.name.cmp(&b.name).then(ia.cmp(ib)));
    let predefinedreplies: Vec<get_ticket_predefined_replies::PredefinedReply> = all
        .into_iter()
        .map(|(_, rep)| get_ticket_predefined_replies::PredefinedReply {
            name: Some(rep.name.clone()),
            reply: Some(rep.reply.clone()),
            ..Default::default()
        })
        .collect();
    Ok(GetTicketPredefinedRepliesResponse {
        totalresults: Some(predefinedreplies.len() as i64),
        predefinedreplies,
        ..Default::default()
    })
}

/// Bans the address the ticket came from, and erases the ticket when asked.
fn block_ticket_sender(
    w: &mut State,
    r: BlockTicketSender,
) -> Result<BlockTicketSenderResponse, BlockTicketSenderError> {
    let (email, owner) = w
        .support
        .tickets
        .get(r.ticketid)
        .map(|t| (t.email.clone(), t.userid))
        .ok_or(BlockTicketSenderError::TicketNotFound)?;
    w.system.ban_email(&email);
    let deleted = r.delete.unwrap_or(false);
    if deleted {
        w.support.remove_ticket(r.ticketid);
    }
    w.log(
        owner,
        format!(
            "Blocked Ticket Sender - Ticket ID: {} - Email: {email}",
            r.ticketid
        ),
    );
    Ok(BlockTicketSenderResponse {
        deleted: Some(deleted.to_string()),
        ..Default::default()
    })
}
