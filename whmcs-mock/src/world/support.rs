//! Support tickets, their replies, and the departments they are filed in.

use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::tickets::{get_ticket, get_tickets};
use whmcs_api::actions::{
    AddTicketReply, AddTicketReplyError, AddTicketReplyResponse, GetTicket, GetTicketError,
    GetTicketResponse, GetTickets, GetTicketsError, GetTicketsResponse, OpenTicket,
    OpenTicketError, OpenTicketResponse, SortOrder, TicketPriority,
};

use super::registry::Registry;
use super::{State, Table, page};

/// The support tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Support {
    pub(crate) departments: Table<Department>,
    pub(crate) tickets: Table<Ticket>,
    /// The id the next reply gets (replies are numbered across tickets).
    next_reply: i64,
}

/// A support department.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Department {
    pub(crate) name: String,
    pub(crate) email: String,
}

/// A support ticket.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Ticket {
    /// The number clients see.
    pub(crate) tid: String,
    /// The access key of the ticket's client-area link.
    pub(crate) c: String,
    pub(crate) deptid: i64,
    /// The client that opened it (0 for a guest).
    pub(crate) userid: i64,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) subject: String,
    /// WHMCS's statuses are configurable: Open, Answered, Customer-Reply, Closed, …
    pub(crate) status: String,
    pub(crate) priority: TicketPriority,
    pub(crate) date: DateTime,
    pub(crate) lastreply: DateTime,
    pub(crate) replies: Vec<Reply>,
}

/// A message on a ticket (the first one opens it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Reply {
    pub(crate) id: i64,
    pub(crate) userid: i64,
    pub(crate) name: String,
    pub(crate) email: String,
    /// The admin who wrote it (empty for a client or guest).
    pub(crate) admin: String,
    pub(crate) message: String,
    pub(crate) date: DateTime,
}

impl Support {
    /// A fresh installation's support: one department.
    pub(crate) fn fresh() -> Self {
        let mut s = Self {
            next_reply: 1,
            ..Self::default()
        };
        s.departments.insert(Department {
            name: "Support".into(),
            email: "support@example.com".into(),
        });
        s
    }

    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "ticket" => Some(self.tickets.contains(id)),
            "department" => Some(self.departments.contains(id)),
            "reply" => Some(
                self.tickets
                    .iter()
                    .any(|(_, t)| t.replies.iter().any(|r| r.id == id)),
            ),
            _ => None,
        }
    }

    fn reply_id(&mut self) -> i64 {
        let id = self.next_reply.max(1);
        self.next_reply = id + 1;
        id
    }

    /// A deleted client's tickets go with it.
    pub(crate) fn forget_client(&mut self, client: i64) {
        self.tickets.retain(|_, t| t.userid != client);
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<OpenTicket>(open_ticket);
    r.read::<GetTickets>(get_tickets);
    r.read::<GetTicket>(get_ticket);
    r.on::<AddTicketReply>(add_ticket_reply);
}

/// Who writes: a client, or a guest with name and email.
fn author(
    w: &State,
    clientid: Option<i64>,
    name: Option<String>,
    email: Option<String>,
) -> Result<(i64, String, String), Author> {
    if let Some(id) = clientid {
        let c = w.clients.clients.get(id).ok_or(Author::NoClient)?;
        return Ok((id, c.fullname(), c.email.clone()));
    }
    match (name, email) {
        (Some(n), Some(e)) if e.contains('@') => Ok((0, n, e)),
        (Some(_), Some(_)) => Err(Author::BadEmail),
        _ => Err(Author::Missing),
    }
}

enum Author {
    NoClient,
    BadEmail,
    Missing,
}

fn open_ticket(w: &mut State, r: OpenTicket) -> Result<OpenTicketResponse, OpenTicketError> {
    if !w.support.departments.contains(r.deptid) {
        return Err(OpenTicketError::DepartmentNotFound);
    }
    let (userid, name, email) = author(w, r.clientid, r.name, r.email).map_err(|e| match e {
        Author::NoClient => OpenTicketError::ClientNotFound,
        Author::BadEmail => OpenTicketError::InvalidEmailAddress,
        Author::Missing => OpenTicketError::NameAndEmailRequired,
    })?;
    let now = w.now;
    let reply = w.support.reply_id();
    let n = w.support.tickets.len() as i64 + 1;
    let tid = format!("{:06}", (n * 7919 + 104_729) % 1_000_000);
    let c = format!(
        "{:08x}",
        (n as u64).wrapping_mul(2_654_435_761) & 0xffff_ffff
    );
    let id = w.support.tickets.insert(Ticket {
        tid: tid.clone(),
        c: c.clone(),
        deptid: r.deptid,
        userid,
        name: name.clone(),
        email: email.clone(),
        subject: r.subject,
        status: "Open".into(),
        priority: r.priority.unwrap_or(TicketPriority::Medium),
        date: now,
        lastreply: now,
        replies: vec![Reply {
            id: reply,
            userid,
            name,
            email,
            admin: String::new(),
            message: r.message,
            date: now,
        }],
    });
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

fn get_tickets(w: &State, r: GetTickets) -> Result<GetTicketsResponse, GetTicketsError> {
    let rows: Vec<get_tickets::Ticket> = w
        .support
        .tickets
        .iter()
        .rev()
        .filter(|(_, t)| {
            r.clientid.is_none_or(|c| c == t.userid)
                && r.deptid.is_none_or(|d| d == t.deptid)
                && r.email
                    .as_ref()
                    .is_none_or(|e| e.eq_ignore_ascii_case(&t.email))
                && r.subject
                    .as_ref()
                    .is_none_or(|s| t.subject.contains(s.as_str()))
        })
        .filter(|(_, t)| match r.status.as_deref() {
            None => true,
            Some("All Active Tickets") | Some("Awaiting Reply") => t.status != "Closed",
            Some("My Flagged Tickets") => false,
            Some(s) => t.status.eq_ignore_ascii_case(s),
        })
        .map(|(id, t)| get_tickets::Ticket {
            id: Some(id),
            tid: Some(t.tid.clone()),
            deptid: Some(t.deptid),
            userid: Some(t.userid),
            name: Some(t.name.clone()),
            email: Some(t.email.clone()),
            access_key: Some(t.c.clone()),
            date: Some(t.date),
            subject: Some(t.subject.clone()),
            status: Some(t.status.clone()),
            priority: Some(t.priority.clone()),
            lastreply: Some(t.lastreply),
            flag: Some(0),
            ..Default::default()
        })
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

fn get_ticket(w: &State, r: GetTicket) -> Result<GetTicketResponse, GetTicketError> {
    let id = match (r.ticketid, r.ticketnum.as_deref()) {
        (Some(id), _) => Some(id),
        (None, Some(num)) => w
            .support
            .tickets
            .iter()
            .find(|(_, t)| t.tid == num)
            .map(|(id, _)| id),
        (None, None) => None,
    };
    let (id, t) = id
        .and_then(|id| w.support.tickets.get(id).map(|t| (id, t)))
        .ok_or_else(|| GetTicketError::Unknown("Ticket ID Not Found".into()))?;
    let mut replies: Vec<get_ticket::TicketReply> = t
        .replies
        .iter()
        .map(|rep| get_ticket::TicketReply {
            replyid: Some(rep.id),
            userid: Some(rep.userid),
            name: Some(rep.name.clone()),
            email: Some(rep.email.clone()),
            date: Some(rep.date),
            message: Some(rep.message.clone()),
            admin: Some(rep.admin.clone()),
            ..Default::default()
        })
        .collect();
    if r.repliessort == Some(SortOrder::Desc) {
        replies.reverse();
    }
    Ok(GetTicketResponse {
        ticketid: Some(id),
        tid: Some(t.tid.clone()),
        access_key: Some(t.c.clone()),
        deptid: Some(t.deptid),
        deptname: w.support.departments.get(t.deptid).map(|d| d.name.clone()),
        userid: Some(t.userid),
        name: Some(t.name.clone()),
        email: Some(t.email.clone()),
        date: Some(t.date),
        subject: Some(t.subject.clone()),
        status: Some(t.status.clone()),
        priority: Some(t.priority.clone()),
        lastreply: Some(t.lastreply),
        flag: Some(0),
        replies,
        ..Default::default()
    })
}

fn add_ticket_reply(
    w: &mut State,
    r: AddTicketReply,
) -> Result<AddTicketReplyResponse, AddTicketReplyError> {
    if !w.support.tickets.contains(r.ticketid) {
        return Err(AddTicketReplyError::TicketNotFound);
    }
    let admin = r.adminusername.clone();
    let (userid, name, email) = match &admin {
        Some(_) if r.clientid.is_none() => (0, String::new(), String::new()),
        _ => author(w, r.clientid, r.name, r.email).map_err(|e| match e {
            Author::NoClient => AddTicketReplyError::ClientNotFound,
            Author::BadEmail => AddTicketReplyError::InvalidEmailAddress,
            Author::Missing => AddTicketReplyError::NameAndEmailRequired,
        })?,
    };
    let now = w.now;
    let id = w.support.reply_id();
    let t = w
        .support
        .tickets
        .get_mut(r.ticketid)
        .ok_or(AddTicketReplyError::TicketNotFound)?;
    let by_admin = admin.is_some();
    t.replies.push(Reply {
        id,
        userid,
        name,
        email,
        admin: admin.unwrap_or_default(),
        message: r.message,
        date: now,
    });
    t.lastreply = now;
    t.status = match r.status {
        Some(s) => s,
        None if by_admin => "Answered".into(),
        None => "Customer-Reply".into(),
    };
    let owner = t.userid;
    w.log(
        owner,
        format!("Ticket Reply Added - Ticket ID: {}", r.ticketid),
    );
    Ok(AddTicketReplyResponse::default())
}
