//! Client secret expiry (C11): a reminder from three days before the date, "expired" after it.

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

/// How many days before expiry the reminder starts (seed 000: "3 days before").
pub const REMIND_DAYS_BEFORE: i64 = 3;

/// Where a client secret stands relative to its expiry date, today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum SecretExpiry {
    /// No expiry date entered.
    NotSet,
    /// More than three days left.
    Ok {
        /// Days until the expiry date.
        days_left: i32,
    },
    /// Three days or fewer left; 0 means it expires today.
    Soon {
        /// Days until the expiry date.
        days_left: i32,
    },
    /// The date has passed.
    Expired {
        /// Days since the expiry date, at least 1.
        days_ago: i32,
    },
}

impl SecretExpiry {
    /// The state of a secret expiring on `expires_on`, seen on `today`.
    pub fn on(expires_on: Option<Date>, today: Date) -> Self {
        let Some(date) = expires_on else {
            return Self::NotSet;
        };
        let days = (date - today).whole_days();
        let days32 = i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX });
        match days {
            d if d < 0 => Self::Expired {
                days_ago: days32.saturating_neg(),
            },
            d if d <= REMIND_DAYS_BEFORE => Self::Soon { days_left: days32 },
            _ => Self::Ok { days_left: days32 },
        }
    }

    /// Whether the person should be reminded (soon or expired).
    pub fn needs_attention(self) -> bool {
        matches!(self, Self::Soon { .. } | Self::Expired { .. })
    }

    /// A short phrase for lists and banners.
    pub fn describe(self) -> String {
        match self {
            Self::NotSet => "no expiry date".into(),
            Self::Ok { days_left } => format!("expires in {days_left} days"),
            Self::Soon { days_left: 0 } => "expires today".into(),
            Self::Soon { days_left: 1 } => "expires tomorrow".into(),
            Self::Soon { days_left } => format!("expires in {days_left} days"),
            Self::Expired { days_ago: 1 } => "expired yesterday".into(),
            Self::Expired { days_ago } => format!("expired {days_ago} days ago"),
        }
    }
}

/// The local time zone's offset, read once at start-up by [`read_local_offset`].
static LOCAL_OFFSET: std::sync::OnceLock<time::UtcOffset> = std::sync::OnceLock::new();

/// Reads the local time zone's offset for [`today`]. Call it first thing in `main`, before any
/// thread starts: on Unix the `time` crate reads the zone only while the process has a single
/// thread (the zone could change under a running thread), and refuses otherwise.
pub fn read_local_offset() {
    if let Ok(offset) = time::UtcOffset::current_local_offset() {
        let _ = LOCAL_OFFSET.set(offset);
    }
}

/// Today's date in the local time zone, as read at start-up (UTC when it could not be read).
pub fn today() -> Date {
    let offset = LOCAL_OFFSET
        .get()
        .copied()
        .or_else(|| time::UtcOffset::current_local_offset().ok())
        .unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

/// Where a secret with the expiry date `text` (as typed, not saved yet) stands today: the
/// editor shows it with the same rule as saved directories. Not set when empty or no date.
pub fn of_typed(text: &str) -> SecretExpiry {
    SecretExpiry::on(parse_date(text).ok(), today())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value.trim(), &format).map_err(|_| {
        format!(
            "\"{}\" is not a date; use YYYY-MM-DD, such as 2027-03-31",
            value.trim()
        )
    })
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn expiry_states_around_the_reminder_window() {
        let today = date!(2026 - 11 - 23);
        let cases = [
            (None, SecretExpiry::NotSet, "no expiry date"),
            (
                Some(date!(2027 - 03 - 31)),
                SecretExpiry::Ok { days_left: 128 },
                "expires in 128 days",
            ),
            (
                Some(date!(2026 - 11 - 27)),
                SecretExpiry::Ok { days_left: 4 },
                "expires in 4 days",
            ),
            (
                Some(date!(2026 - 11 - 26)),
                SecretExpiry::Soon { days_left: 3 },
                "expires in 3 days",
            ),
            (
                Some(date!(2026 - 11 - 24)),
                SecretExpiry::Soon { days_left: 1 },
                "expires tomorrow",
            ),
            (
                Some(date!(2026 - 11 - 23)),
                SecretExpiry::Soon { days_left: 0 },
                "expires today",
            ),
            (
                Some(date!(2026 - 11 - 22)),
                SecretExpiry::Expired { days_ago: 1 },
                "expired yesterday",
            ),
            (
                Some(date!(2026 - 10 - 23)),
                SecretExpiry::Expired { days_ago: 31 },
                "expired 31 days ago",
            ),
        ];
        for (expires, want, text) in cases {
            let got = SecretExpiry::on(expires, today);
            assert_eq!(got, want, "{expires:?}");
            assert_eq!(got.describe(), text);
            assert_eq!(
                got.needs_attention(),
                matches!(
                    want,
                    SecretExpiry::Soon { .. } | SecretExpiry::Expired { .. }
                )
            );
        }
    }

    #[test]
    fn a_typed_date_is_judged_by_the_same_rule() {
        assert_eq!(of_typed(""), SecretExpiry::NotSet);
        assert_eq!(of_typed("31/03/2027"), SecretExpiry::NotSet);
        assert_eq!(
            of_typed(&format_date(today())),
            SecretExpiry::Soon { days_left: 0 }
        );
    }

    #[test]
    fn dates_parse_only_in_iso_form() {
        assert_eq!(parse_date(" 2027-03-31 "), Ok(date!(2027 - 03 - 31)));
        assert!(parse_date("31/03/2027").is_err());
        assert!(parse_date("2027-02-30").is_err());
        assert_eq!(format_date(date!(2027 - 03 - 01)), "2027-03-01");
    }
}
