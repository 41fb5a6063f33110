//! Parsing what people type into account fields (pure).

pub fn normalize_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("Please enter your email address.");
    }
    if email.len() > 254 {
        return Err("That email address is too long.");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("That does not look like an email address (it needs an @).");
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.len() > 64 || !domain_ok || email.chars().any(char::is_whitespace) {
        return Err("That does not look like an email address.");
    }
    Ok(email)
}

pub fn display_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Please enter a name, as you would like to be called.");
    }
    if name.chars().count() > 60 {
        return Err("Please keep your name to 60 characters.");
    }
    if name.chars().any(char::is_control) {
        return Err("Please use ordinary characters in your name.");
    }
    Ok(name)
}

pub fn time_zone(raw: &str) -> Result<String, &'static str> {
    let tz = raw.trim();
    if tz.is_empty() || tz.len() > 64 || jiff::tz::TimeZone::get(tz).is_err() {
        return Err("Please choose a time zone from the list.");
    }
    Ok(tz.to_owned())
}

/// Common time zones offered in settings; any valid IANA name is accepted.
pub const COMMON_TIME_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Sao_Paulo",
    "America/Buenos_Aires",
    "America/Bogota",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(normalize_email("  Sam@Example.ORG ").unwrap(), "sam@example.org");
        assert!(normalize_email("sam").is_err());
        assert!(normalize_email("sam@localhost").is_err());
        assert!(normalize_email("sam @example.org").is_err());
        assert!(normalize_email("").unwrap_err().contains("enter"));
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(display_name("  Sam   Rivera ").unwrap(), "Sam Rivera");
        assert!(display_name("   ").is_err());
        assert!(display_name(&"a".repeat(61)).is_err());
    }

    #[test]
    fn time_zones_must_exist() {
        assert_eq!(time_zone("Europe/Berlin").unwrap(), "Europe/Berlin");
        assert!(time_zone("Mars/Olympus_Mons").is_err());
        for tz in COMMON_TIME_ZONES {
            assert!(time_zone(tz).is_ok(), "{tz}");
        }
    }
}
