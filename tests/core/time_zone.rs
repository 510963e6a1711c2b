//! Expiry counted in the user's time zone, also in a multi-threaded process such as `ssoctl`:
//! a secret that expires on the local "today" says so wherever the computer is.

use time::macros::offset;
use time::{OffsetDateTime, UtcOffset};

use crate::fixtures::{document, json_of, ssoctl, unique_secret};

/// The local date at `offset`, the way a person there would read their calendar.
fn local_date(offset: UtcOffset) -> time::Date {
    OffsetDateTime::now_utc().to_offset(offset).date()
}

#[test]
fn expiry_is_counted_in_the_local_time_zone() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("d.json");
    // Today in the zone furthest ahead: UTC+14.
    let expires = local_date(offset!(+14));
    let mut doc = document("Zones");
    doc.client_secret_expires_on = Some(sso_console::expiry::format_date(expires));
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    ssoctl(data.path())
        .args(["dir", "create", "--file"])
        .arg(&file)
        .arg("--client-secret-stdin")
        .write_stdin(unique_secret())
        .assert()
        .success();
    // POSIX TZ strings (no time-zone database needed); their sign is the other way round.
    // Between the two zones lie 26 hours, so at any time of day at least one of them is on
    // another date than UTC, and a console counting in UTC would be caught.
    for (tz, offset) in [("XYZ-14", offset!(+14)), ("XYZ+12", offset!(-12))] {
        let shown = ssoctl(data.path())
            .env("TZ", tz)
            .args(["--json", "dir", "show", "Zones"])
            .output()
            .unwrap();
        assert!(shown.status.success());
        let days_left = (expires - local_date(offset)).whole_days();
        let expiry = &json_of(&shown.stdout)["secret_expiry"];
        assert_eq!(expiry["state"], "soon", "TZ={tz}: {expiry}");
        assert_eq!(expiry["days_left"], days_left, "TZ={tz}: {expiry}");
    }
}
