//! Announcements: news items shown in the client area.

use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::support::get_announcements;
use whmcs_api::actions::{
    AddAnnouncement, AddAnnouncementError, AddAnnouncementResponse, DeleteAnnouncement,
    DeleteAnnouncementError, DeleteAnnouncementResponse, GetAnnouncements, GetAnnouncementsError,
    GetAnnouncementsResponse, UpdateAnnouncement, UpdateAnnouncementError,
    UpdateAnnouncementResponse,
};

use super::registry::Registry;
use super::{State, Table, calendar, page};

/// The announcement table.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Announcements {
    pub(crate) items: Table<Announcement>,
}

/// An announcement.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Announcement {
    /// The posting time shown to readers.
    pub(crate) date: DateTime,
    pub(crate) title: String,
    pub(crate) announcement: String,
    pub(crate) published: bool,
    /// The announcement this one translates (0 for an original).
    pub(crate) parentid: i64,
    /// The translation's language (empty for an original).
    pub(crate) language: String,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

impl Default for Announcement {
    fn default() -> Self {
        Self {
            date: calendar::installed(),
            title: String::new(),
            announcement: String::new(),
            published: false,
            parentid: 0,
            language: String::new(),
            created_at: calendar::installed(),
            updated_at: calendar::installed(),
        }
    }
}

impl Announcements {
    /// Whether announcement `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "announcement" => Some(self.items.contains(id)),
            _ => None,
        }
    }
}

/// Registers the announcement actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.on::<AddAnnouncement>(add_announcement);
    r.read::<GetAnnouncements>(get_announcements);
    r.on::<UpdateAnnouncement>(update_announcement);
    r.on::<DeleteAnnouncement>(delete_announcement);
}

/// Adds an announcement, unpublished unless asked.
fn add_announcement(
    w: &mut State,
    r: AddAnnouncement,
) -> Result<AddAnnouncementResponse, AddAnnouncementError> {
    let id = w.announcements.items.insert(Announcement {
        date: r.date,
        title: r.title,
        announcement: r.announcement,
        published: r.published.unwrap_or(false),
        parentid: 0,
        language: String::new(),
        created_at: w.now,
        updated_at: w.now,
    });
    w.log(0, format!("Announcement Added - ID: {id}"));
    Ok(AddAnnouncementResponse {
        announcementid: id,
        ..Default::default()
    })
}

/// Every announcement, translations included, newest posting time first.
fn get_announcements(
    w: &State,
    r: GetAnnouncements,
) -> Result<GetAnnouncementsResponse, GetAnnouncementsError> {
    let mut all: Vec<(i64, &Announcement)> = w.announcements.items.iter().collect();
    all.sort_by(|(ia, a), (ib, b)| b.date.cmp(&a.date).then(ib.cmp(ia)));
    let rows: Vec<get_announcements::Announcement> = all
        .into_iter()
        .map(|(id, a)| get_announcements::Announcement {
            id: Some(id),
            date: Some(a.date),
            title: Some(a.title.clone()),
            announcement: Some(a.announcement.clone()),
            published: Some(a.published),
            parentid: Some(a.parentid),
            language: Some(a.language.clone()),
            created_at: Some(a.created_at),
            updated_at: Some(a.updated_at),
            ..Default::default()
        })
        .collect();
    let (total, start, announcements) = page(rows, r.limitstart, r.limitnum);
    Ok(GetAnnouncementsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(announcements.len() as i64),
        announcements,
        ..Default::default()
    })
}

/// Changes the fields given of an announcement.
fn update_announcement(
    w: &mut State,
    r: UpdateAnnouncement,
) -> Result<UpdateAnnouncementResponse, UpdateAnnouncementError> {
    let now = w.now;
    let a = w
        .announcements
        .items
        .get_mut(r.announcementid)
        .ok_or(UpdateAnnouncementError::AnnouncementIdNotFound)?;
    if let Some(t) = r.title {
        a.title = t;
    }
    if let Some(t) = r.announcement {
        a.announcement = t;
    }
    if let Some(d) = r.date {
        a.date = d;
    }
    if let Some(p) = r.published {
        a.published = p;
    }
    a.updated_at = now;
    w.log(
        0,
        format!("Announcement Modified - ID: {}", r.announcementid),
    );
    Ok(UpdateAnnouncementResponse {
        announcementid: Some(r.announcementid),
        ..Default::default()
    })
}

/// Removes an announcement and its translations. The reference documents no error, so an id
/// that names none removes nothing.
fn delete_announcement(
    w: &mut State,
    r: DeleteAnnouncement,
) -> Result<DeleteAnnouncementResponse, DeleteAnnouncementError> {
    let id = r.announcementid;
    if w.announcements.items.remove(id).is_some() {
        w.announcements.items.retain(|_, a| a.parentid != id);
        w.log(0, format!("Announcement Deleted - ID: {id}"));
    }
    Ok(DeleteAnnouncementResponse {
        announcementid: Some(id),
        ..Default::default()
    })
}
