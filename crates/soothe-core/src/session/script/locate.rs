//! Finds where each value of a RON document starts, so that semantic errors
//! (found after serde is done) can point at `LINE:COL` like syntax errors do.
//!
//! The document has already been parsed by `ron`, so this scanner only has
//! to follow the structure of well-formed input. Paths look like
//! `.steps[3].say[1]` for values, `.prompts["hello"]` for a map's value and
//! `.prompts{"hello"}` for the key itself.

use std::collections::HashMap;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Path -> where that value starts (and, for a string, where its literal
/// lies, in characters).
#[derive(Debug, Default)]
pub struct Locations {
    starts: HashMap<String, Pos>,
    strings: HashMap<String, std::ops::Range<usize>>,
}

impl Locations {
    pub fn scan(src: &str) -> Locations {
        let mut scanner = Scanner {
            chars: src.chars().collect(),
            at: 0,
            pos: Pos { line: 1, col: 1 },
            out: HashMap::new(),
            strings: HashMap::new(),
        };
        scanner.skip_trivia();
        scanner.value(String::new());
        Locations {
            starts: scanner.out,
            strings: scanner.strings,
        }
    }

    /// The characters of the string literal at `path`, quotes included
    /// (`None` if the value there is not a string).
    pub fn string_span(&self, path: &str) -> Option<std::ops::Range<usize>> {
        self.strings.get(path).cloned()
    }

    /// Where the value at `path` starts, or its nearest enclosing value.
    pub fn find(&self, path: &str) -> Pos {
        let mut path = path;
        loop {
            if let Some(pos) = self.starts.get(path) {
                return *pos;
            }
            match path.rfind(['.', '[', '{']) {
                Some(cut) => path = &path[..cut],
                None => {
                    return self
                        .starts
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, col: 1 })
                }
            }
        }
    }
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    pos: Pos,
    out: HashMap<String, Pos>,
    strings: HashMap<String, std::ops::Range<usize>>,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Skips white space, comments and `#![enable(..)]` attributes.
    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let mut depth = 0usize;
                    loop {
                        match (self.peek(), self.peek_at(1)) {
                            (Some('/'), Some('*')) => {
                                depth += 1;
                                self.bump();
                                self.bump();
                            }
                            (Some('*'), Some('/')) => {
                                self.bump();
                                self.bump();
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            (None, _) => return,
                            _ => {
                                self.bump();
                            }
                        }
                    }
                }
                (Some('#'), Some('!')) => {
                    let mut depth = 0usize;
                    while let Some(c) = self.bump() {
                        match c {
                            '[' => depth += 1,
                            ']' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, path: String) {
        self.out.insert(path.clone(), self.pos);
        match self.peek() {
            Some('"') => {
                let start = self.at;
                self.string();
                self.strings.insert(path, start..self.at);
            }
            Some('r') if matches!(self.peek_at(1), Some('"' | '#')) => {
                let start = self.at;
                self.string();
                self.strings.insert(path, start..self.at);
            }
            Some('[') => {
                self.bump();
                self.seq(&path, ']');
            }
            Some('(') => {
                self.bump();
                self.fields(&path);
            }
            Some('{') => {
                self.bump();
                self.map(&path);
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let ident = self.ident();
                self.skip_trivia();
                if self.eat('(') {
                    if ident == "Some" {
                        self.skip_trivia();
                        self.value(path);
                        self.skip_trivia();
                        self.eat(')');
                    } else {
                        self.fields(&path);
                    }
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if c.is_whitespace() || matches!(c, ',' | ')' | ']' | '}' | ':') {
                        break;
                    }
                    self.bump();
                }
            }
        }
    }

    fn ident(&mut self) -> String {
        let mut ident = String::new();
        if self.peek() == Some('r') && self.peek_at(1) == Some('#') {
            self.bump();
            self.bump();
        }
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '+') {
                ident.push(c);
                self.bump();
            } else {
                break;
            }
        }
        ident
    }

    /// A string literal (plain or raw); returns its text, escapes undone
    /// only as far as needed to compare keys.
    fn string(&mut self) -> String {
        let mut text = String::new();
        if self.eat('r') {
            let mut hashes = 0;
            while self.eat('#') {
                hashes += 1;
            }
            self.eat('"');
            while let Some(c) = self.bump() {
                if c == '"' && (0..hashes).all(|i| self.peek_at(i) == Some('#')) {
                    for _ in 0..hashes {
                        self.bump();
                    }
                    break;
                }
                text.push(c);
            }
            return text;
        }
        self.eat('"');
        while let Some(c) = self.bump() {
            match c {
                '"' => break,
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        match escaped {
                            'n' => text.push('\n'),
                            't' => text.push('\t'),
                            'r' => text.push('\r'),
                            '0' => text.push('\0'),
                            'x' => {
                                let hex: String = (0..2).filter_map(|_| self.bump()).collect();
                                text.extend(
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32),
                                );
                            }
                            'u' if self.eat('{') => {
                                let mut hex = String::new();
                                while let Some(c) = self.bump() {
                                    if c == '}' {
                                        break;
                                    }
                                    hex.push(c);
                                }
                                text.extend(
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32),
                                );
                            }
                            // A line break after `\` continues the string.
                            '\n' => {
                                while matches!(self.peek(), Some(c) if c.is_whitespace()) {
                                    self.bump();
                                }
                            }
                            other => text.push(other),
                        }
                    }
                }
                other => text.push(other),
            }
        }
        text
    }

    fn seq(&mut self, path: &str, close: char) {
        let mut index = 0;
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some(c) if c == close => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            let before = self.at;
            self.value(format!("{path}[{index}]"));
            index += 1;
            self.skip_trivia();
            self.eat(',');
            if self.at == before {
                self.bump();
            }
        }
    }

    fn map(&mut self, path: &str) {
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some('}') => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            let before = self.at;
            let key_pos = self.pos;
            let key = if matches!(self.peek(), Some('"' | 'r')) {
                self.string()
            } else {
                self.ident()
            };
            self.out.insert(format!("{path}{{{key:?}}}"), key_pos);
            self.skip_trivia();
            self.eat(':');
            self.skip_trivia();
            self.value(format!("{path}[{key:?}]"));
            self.skip_trivia();
            self.eat(',');
            if self.at == before {
                self.bump();
            }
        }
    }

    /// The inside of `Name( ... )` or `( ... )`: named fields or a tuple.
    fn fields(&mut self, path: &str) {
        let mut index = 0;
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some(')') => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            let before = self.at;
            if self.is_field_name() {
                let field_pos = self.pos;
                let name = self.ident();
                self.skip_trivia();
                self.eat(':');
                self.skip_trivia();
                let field_path = format!("{path}.{name}");
                self.value(field_path.clone());
                self.out.insert(format!("{field_path}:name"), field_pos);
            } else {
                self.value(format!("{path}[{index}]"));
                index += 1;
            }
            self.skip_trivia();
            self.eat(',');
            if self.at == before {
                self.bump();
            }
        }
    }

    fn is_field_name(&self) -> bool {
        let mut i = self.at;
        let starts = matches!(self.chars.get(i), Some(c) if c.is_alphabetic() || *c == '_');
        if !starts {
            return false;
        }
        while matches!(self.chars.get(i), Some(c) if c.is_alphanumeric() || *c == '_') {
            i += 1;
        }
        while matches!(self.chars.get(i), Some(c) if c.is_whitespace()) {
            i += 1;
        }
        self.chars.get(i) == Some(&':')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"#![enable(implicit_some)]
// a comment
Session(
    title: "Hi",
    prompts: {
        "a": "first",
        "b": "second", /* inline */
    },
    steps: [
        Step(id: "x", say: ["a", "b"], strokes: Some(Strokes(count: 6, seconds: 5.0))),
        (id: "y", say: ["c"]),
    ],
)
"#;

    #[test]
    fn finds_fields_list_items_and_map_entries() {
        let locations = Locations::scan(DOC);
        assert_eq!(locations.find(".title"), Pos { line: 4, col: 12 });
        assert_eq!(locations.find(".prompts[\"b\"]"), Pos { line: 7, col: 14 });
        assert_eq!(locations.find(".prompts{\"b\"}"), Pos { line: 7, col: 9 });
        assert_eq!(
            locations.find(".steps[0].say[1]"),
            Pos { line: 10, col: 34 }
        );
        assert_eq!(
            locations.find(".steps[0].strokes.count"),
            Pos { line: 10, col: 69 }
        );
        assert_eq!(
            locations.find(".steps[1].say[0]"),
            Pos { line: 11, col: 25 }
        );
    }

    #[test]
    fn a_key_written_with_a_unicode_escape_is_found_on_its_own_line() {
        let doc = "(\n  prompts: {\n    \"a\": \"x\",\n    \"h\\u{e9}llo\\x21\": \"y\",\n  },\n)";
        let locations = Locations::scan(doc);
        assert_eq!(
            locations.find(".prompts{\"h\u{e9}llo!\"}"),
            Pos { line: 4, col: 5 }
        );
    }

    #[test]
    fn a_string_value_is_found_from_quote_to_quote() {
        let locations = Locations::scan(DOC);
        let chars: Vec<char> = DOC.chars().collect();
        let span = locations.string_span(".prompts[\"b\"]").unwrap();
        assert_eq!(chars[span].iter().collect::<String>(), "\"second\"");
        assert_eq!(locations.string_span(".steps[0].strokes.count"), None);
    }

    #[test]
    fn missing_paths_fall_back_to_the_nearest_enclosing_value() {
        let locations = Locations::scan(DOC);
        assert_eq!(locations.find(".steps[1].wait"), Pos { line: 11, col: 9 });
    }
}
