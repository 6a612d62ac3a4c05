//! The admin to-do list. The API only reads and edits items: WHMCS's automation adds them (a
//! domain to register by hand, a failed module command), which the mock's rules do through
//! [`add_todo`]; tests can also seed them.

use serde::{Deserialize, Serialize};
use whmcs_api::Date;
use whmcs_api::actions::system::{get_to_do_item_statuses, get_to_do_items};
use whmcs_api::actions::{
    GetToDoItemStatuses, GetToDoItemStatusesError, GetToDoItemStatusesResponse, GetToDoItems,
    GetToDoItemsError, GetToDoItemsResponse, ToDoItemStatus, UpdateToDoItem, UpdateToDoItemError,
    UpdateToDoItemResponse,
};

use super::registry::Registry;
use super::{State, Table, calendar, page};

/// The to-do list.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ToDos {
    pub(crate) items: Table<ToDo>,
}

/// One to-do item.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ToDo {
    /// The day it was added.
    pub(crate) date: Date,
    pub(crate) title: String,
    pub(crate) description: String,
    /// The admin it is assigned to (0 for none).
    pub(crate) admin: i64,
    pub(crate) status: ToDoItemStatus,
    pub(crate) duedate: Option<Date>,
}

impl Default for ToDo {
    fn default() -> Self {
        Self {
            date: calendar::installed().date(),
            title: String::new(),
            description: String::new(),
            admin: 0,
            status: ToDoItemStatus::New,
            duedate: None,
        }
    }
}

/// The states an item can be in (`Incomplete` is only a filter).
const STATES: [ToDoItemStatus; 5] = [
    ToDoItemStatus::New,
    ToDoItemStatus::Pending,
    ToDoItemStatus::InProgress,
    ToDoItemStatus::Completed,
    ToDoItemStatus::Postponed,
];

impl ToDo {
    /// Not completed and past its due date.
    fn overdue(&self, today: Date) -> bool {
        self.status != ToDoItemStatus::Completed && self.duedate.is_some_and(|d| d < today)
    }
}

impl ToDos {
    /// Whether to-do item `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "todo" | "todo_item" => Some(self.items.contains(id)),
            _ => None,
        }
    }

    /// Items not completed whose due date has come.
    pub(crate) fn due(&self, today: Date) -> i64 {
        self.items
            .iter()
            .filter(|(_, t)| {
                t.status != ToDoItemStatus::Completed && t.duedate.is_some_and(|d| d <= today)
            })
            .count() as i64
    }
}

/// Registers the to-do list actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetToDoItems>(get_to_do_items);
    r.on::<UpdateToDoItem>(update_to_do_item);
    r.read::<GetToDoItemStatuses>(get_to_do_item_statuses);
}

/// To-do items in id order, in one state (`Incomplete`: any but Completed) if asked.
fn get_to_do_items(w: &State, r: GetToDoItems) -> Result<GetToDoItemsResponse, GetToDoItemsError> {
    let rows: Vec<get_to_do_items::ToDoItem> = w
        .todos
        .items
        .iter()
        .filter(|(_, t)| match &r.status {
            None => true,
            Some(ToDoItemStatus::Incomplete) => t.status != ToDoItemStatus::Completed,
            Some(s) => *s == t.status,
        })
        .map(|(id, t)| get_to_do_items::ToDoItem {
            id: Some(id),
            date: Some(t.date.to_string()),
            title: Some(t.title.clone()),
            description: Some(t.description.clone()),
            admin: Some(t.admin),
            status: Some(t.status.clone()),
            duedate: Some(
                t.duedate
                    .map_or_else(|| "0000-00-00".to_string(), |d| d.to_string()),
            ),
            ..Default::default()
        })
        .collect();
    let (total, start, items) = page(rows, r.limitstart, r.limitnum);
    Ok(GetToDoItemsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(items.len() as i64),
        items,
        ..Default::default()
    })
}

/// Edits an item and assigns it to `adminid`. Dates are read in the admin date format
/// (`DateFormat`, or `YYYY-MM-DD`); one that reads as no date leaves the item's as it was. The
/// reference documents no error, so an unknown `itemid` changes nothing.
fn update_to_do_item(
    w: &mut State,
    r: UpdateToDoItem,
) -> Result<UpdateToDoItemResponse, UpdateToDoItemError> {
    let format = w.system.setting("DateFormat").to_string();
    let Some(item) = w.todos.items.get_mut(r.itemid) else {
        return Ok(UpdateToDoItemResponse {
            itemid: Some(r.itemid),
            ..Default::default()
        });
    };
    item.admin = r.adminid;
    if let Some(s) = r.status.filter(|s| STATES.contains(s)) {
        item.status = s;
    }
    if let Some(d) = r
        .date
        .as_deref()
        .and_then(|d| calendar::parse_admin_date(d, &format))
    {
        item.date = d;
    }
    if let Some(d) = r
        .duedate
        .as_deref()
        .and_then(|d| calendar::parse_admin_date(d, &format))
    {
        item.duedate = Some(d);
    }
    if let Some(t) = r.title {
        item.title = t;
    }
    if let Some(d) = r.description {
        item.description = d;
    }
    w.log(0, format!("To-Do Item Modified - ID: {}", r.itemid));
    Ok(UpdateToDoItemResponse {
        itemid: Some(r.itemid),
        ..Default::default()
    })
}

/// Each state with its number of items, and how many of those are overdue.
fn get_to_do_item_statuses(
    w: &State,
    _: GetToDoItemStatuses,
) -> Result<GetToDoItemStatusesResponse, GetToDoItemStatusesError> {
    let today = w.today();
    let todoitemstatuses: Vec<get_to_do_item_statuses::ToDoStatusCount> = STATES
        .iter()
        .map(|state| {
            let items: Vec<_> = w
                .todos
                .items
                .iter()
                .filter(|(_, t)| t.status == *state)
                .collect();
            get_to_do_item_statuses::ToDoStatusCount {
                status: Some(state.clone()),
                count: Some(items.len() as i64),
                overdue: Some(items.iter().filter(|(_, t)| t.overdue(today)).count() as i64),
                ..Default::default()
            }
        })
        .collect();
    Ok(GetToDoItemStatusesResponse {
        totalresults: Some(todoitemstatuses.len() as i64),
        todoitemstatuses,
        ..Default::default()
    })
}
