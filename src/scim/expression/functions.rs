//! The functions of the language: names, signatures and argument counts.

/// A function of Entra's expression language that the console evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `Append(source, suffix)`.
    Append,
    /// `Coalesce(source1, source2, …, defaultValue)`.
    Coalesce,
    /// `IIF(condition, valueIfTrue, valueIfFalse)`.
    Iif,
    /// `IsNull(expression)`.
    IsNull,
    /// `IsNullOrEmpty(expression)`.
    IsNullOrEmpty,
    /// `IsPresent(expression)`.
    IsPresent,
    /// `Join(separator, source1, source2, …)`.
    Join,
    /// `Left(string, numChars)`.
    Left,
    /// `Mid(source, start, length)`.
    Mid,
    /// `NormalizeDiacritics(source)`.
    NormalizeDiacritics,
    /// `Not(source)`.
    Not,
    /// `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
    /// replacementAttributeName, template)`.
    Replace,
    /// `SingleAppRoleAssignment([appRoleAssignments])`.
    SingleAppRoleAssignment,
    /// `Split(source, delimiter)`.
    Split,
    /// `StripSpaces(source)`.
    StripSpaces,
    /// `Switch(source, defaultValue, key1, value1, key2, value2, …)`.
    Switch,
    /// `ToLower(source, culture)`.
    ToLower,
    /// `ToUpper(source, culture)`.
    ToUpper,
    /// `Trim(source)`.
    Trim,
}

impl Function {
    /// Every function, in alphabetical order.
    pub const ALL: [Function; 19] = [
        Self::Append,
        Self::Coalesce,
        Self::Iif,
        Self::IsNull,
        Self::IsNullOrEmpty,
        Self::IsPresent,
        Self::Join,
        Self::Left,
        Self::Mid,
        Self::NormalizeDiacritics,
        Self::Not,
        Self::Replace,
        Self::SingleAppRoleAssignment,
        Self::Split,
        Self::StripSpaces,
        Self::Switch,
        Self::ToLower,
        Self::ToUpper,
        Self::Trim,
    ];

    /// The name as Entra spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Append => "Append",
            Self::Coalesce => "Coalesce",
            Self::Iif => "IIF",
            Self::IsNull => "IsNull",
            Self::IsNullOrEmpty => "IsNullOrEmpty",
            Self::IsPresent => "IsPresent",
            Self::Join => "Join",
            Self::Left => "Left",
            Self::Mid => "Mid",
            Self::NormalizeDiacritics => "NormalizeDiacritics",
            Self::Not => "Not",
            Self::Replace => "Replace",
            Self::SingleAppRoleAssignment => "SingleAppRoleAssignment",
            Self::Split => "Split",
            Self::StripSpaces => "StripSpaces",
            Self::Switch => "Switch",
            Self::ToLower => "ToLower",
            Self::ToUpper => "ToUpper",
            Self::Trim => "Trim",
        }
    }

    /// The call with its parameters, as a reminder.
    pub fn signature(self) -> &'static str {
        match self {
            Self::Append => "Append(source, suffix)",
            Self::Coalesce => "Coalesce(source1, source2, …, defaultValue)",
            Self::Iif => "IIF(condition, valueIfTrue, valueIfFalse)",
            Self::IsNull => "IsNull(expression)",
            Self::IsNullOrEmpty => "IsNullOrEmpty(expression)",
            Self::IsPresent => "IsPresent(expression)",
            Self::Join => "Join(separator, source1, source2, …)",
            Self::Left => "Left(string, numChars)",
            Self::Mid => "Mid(source, start, length)",
            Self::NormalizeDiacritics => "NormalizeDiacritics(source)",
            Self::Not => "Not(source)",
            Self::Replace => "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)",
            Self::SingleAppRoleAssignment => "SingleAppRoleAssignment([appRoleAssignments])",
            Self::Split => "Split(source, delimiter)",
            Self::StripSpaces => "StripSpaces(source)",
            Self::Switch => "Switch(source, defaultValue, key1, value1, key2, value2, …)",
            Self::ToLower => "ToLower(source, culture)",
            Self::ToUpper => "ToUpper(source, culture)",
            Self::Trim => "Trim(source)",
        }
    }

    /// What it does, in one line.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Append => "the source followed by the suffix; null when the source is null",
            Self::Coalesce => "the first argument that is neither null nor empty",
            Self::Iif => "valueIfTrue when the condition is true, else valueIfFalse",
            Self::IsNull => "true when the value is null (a missing attribute)",
            Self::IsNullOrEmpty => "true when the value is null, empty text or an empty list",
            Self::IsPresent => "true when the value is neither null nor empty",
            Self::Join => "the values (lists expanded, nulls skipped) joined by the separator",
            Self::Left => "the first numChars characters; \"\" for null; the whole text when numChars < 0",
            Self::Mid => "length characters from the 1-based start",
            Self::NormalizeDiacritics => "the text without accents and other diacritics: Zoë → Zoe",
            Self::Not => "the opposite of a true/false value",
            Self::Replace => "replaces oldValue, or what regexPattern (or its regexGroupName) matches, by replacementValue; or fills a template",
            Self::SingleAppRoleAssignment => "the one app role of a user (the first when there are several)",
            Self::Split => "a multi-valued result: the text cut at each delimiter, values not trimmed",
            Self::StripSpaces => "the text without any space character",
            Self::Switch => "the value paired with the key equal to the source, else the default",
            Self::ToLower => "the text in lower case",
            Self::ToUpper => "the text in upper case",
            Self::Trim => "the text without leading and trailing white space",
        }
    }

    /// Finds a function by name; like Entra, the case of the name does not matter.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The known function whose name is nearest to a misspelt one, when one is near enough.
    pub fn closest(name: &str) -> Option<Self> {
        let lower = name.to_lowercase();
        Self::ALL
            .into_iter()
            .map(|f| (edit_distance(&lower, &f.name().to_lowercase()), f))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, f)| f)
    }

    /// The smallest and largest argument counts (`None`: no upper limit).
    fn arity(self) -> (usize, Option<usize>) {
        match self {
            Self::IsNull
            | Self::IsNullOrEmpty
            | Self::IsPresent
            | Self::NormalizeDiacritics
            | Self::Not
            | Self::SingleAppRoleAssignment
            | Self::StripSpaces
            | Self::Trim => (1, Some(1)),
            Self::Append | Self::Left | Self::Split => (2, Some(2)),
            Self::ToLower | Self::ToUpper => (1, Some(2)),
            Self::Iif | Self::Mid => (3, Some(3)),
            Self::Replace => (7, Some(7)),
            Self::Coalesce => (1, None),
            Self::Join => (2, None),
            Self::Switch => (2, None),
        }
    }

    /// Checks an argument count, with a message that shows the signature.
    pub(super) fn check_arity(self, count: usize) -> Result<(), String> {
        let (min, max) = self.arity();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let fits = count >= min && max.is_none_or(|max| count <= max);
        if !fits {
            let expected = match max {
                Some(max) if max == min => format!("{min} argument{}", plural(min)),
                Some(max) => format!("{min} to {max} arguments"),
                None => format!("at least {min} arguments"),
            };
            let mut message = format!(
                "{} takes {expected} — {} — but has {count}",
                self.name(),
                self.signature()
            );
            if self == Self::Replace {
                message.push_str("; leave the unused ones empty, as in Replace([mail], \"@old.example\", , , \"@new.example\", , )");
            }
            return Err(message);
        }
        if self == Self::Switch && count % 2 != 0 {
            return Err(format!(
                "Switch takes the source, the default value, then key and value pairs — {} — but the last key has no value",
                self.signature()
            ));
        }
        Ok(())
    }
}

/// Levenshtein distance, for "did you mean" hints on short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}
