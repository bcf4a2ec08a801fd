//! Turns shell source into tokens: words (kept as parts so quoting survives until expansion),
//! operators, redirections and newlines, reading here-document bodies at the end of their line.

use thiserror::Error;

/// One piece of a word. Quoting decides later whether a piece is split into fields or globbed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: split and globbed when it came from an expansion, globbed here.
    Lit(String),
    /// Quoted text (single quotes, escapes, literal parts of double quotes): taken as is.
    Quoted(String),
    /// `$name`, `${name}`, `${name:-x}` …; `quoted` when inside double quotes.
    Param { name: String, op: ParamOp, quoted: bool },
    /// `$(…)` or backticks: the inner source, run in a subshell.
    CmdSub { src: String, quoted: bool },
    /// `$((…))`: integer arithmetic.
    Arith { src: String, quoted: bool },
    /// `<(…)`: the inner command's output exposed as a readable path.
    ProcSub(String),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

/// The operator of a `${…}` expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name:-word}` (colon = also when empty) and friends; the word is unexpanded source.
    Default {
        colon: bool,
        word: String,
    },
    Assign {
        colon: bool,
        word: String,
    },
    Alternative {
        colon: bool,
        word: String,
    },
    /// `${name#pat}`, `${name##pat}`, `${name%pat}`, `${name%%pat}`
    Trim {
        suffix: bool,
        longest: bool,
        pattern: String,
    },
    /// `${name/pat/rep}`, `${name//pat/rep}`
    Replace {
        all: bool,
        pattern: String,
        with: String,
    },
    /// `${name:offset}`, `${name:offset:length}` (arithmetic, unexpanded)
    Substr {
        offset: String,
        length: Option<String>,
    },
    /// `${name^^}`, `${name,,}`, `${name^}`, `${name,}`
    Case {
        upper: bool,
        all: bool,
    },
    /// `${name:?message}`: an error when unset (or empty with the colon).
    Error {
        colon: bool,
        word: String,
    },
    /// `${!name}`: the variable named by the value of `name`.
    Indirect,
    /// `${!name[@]}`: the indices or keys of an array.
    Keys,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
    /// The source text of the word, for alias lookup and messages.
    pub raw: String,
}

impl Word {
    /// The word's text when it is one plain unquoted literal (candidates for aliases, keywords).
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<>`
    ReadWrite,
    /// `>&N` / `N>&M`
    DupOut,
    /// `<&N`
    DupIn,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendOutErr,
    /// `<<<`
    HereString,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub fd: Option<u32>,
    pub delimiter: String,
    /// `<<'EOF'` / `<<"EOF"` / `<<\EOF`: the body is not expanded.
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped from body lines and the delimiter line.
    pub strip_tabs: bool,
    /// The body as a word (double-quote-like parts), filled in when its line ends.
    pub body: Option<Word>,
    /// Line of the `<<` (for bash's warning at end of file).
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// `|`, `||`, `&&`, `;`, `;;`, `&`, `(`, `)`, `|&`
    Op(&'static str),
    Redir {
        fd: Option<u32>,
        op: RedirOp,
    },
    Heredoc(Heredoc),
    Newline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    /// Byte range in the source (char indices), for function bodies and history.
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// Why lexing stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LexError {
    /// The input ends inside a quote; the char is the quote bash names in its message.
    #[error("unexpected EOF while looking for matching `{0}'")]
    OpenQuote(char, usize),
    /// A trailing backslash.
    #[error("unexpected end of file")]
    Continuation,
    /// A here-document whose end marker never came (bash warns and uses what there is).
    #[error("here-document at line {line} delimited by end-of-file (wanted `{delimiter}')")]
    OpenHeredoc { line: usize, delimiter: String },
}

pub struct Lexer<'s> {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    _src: &'s str,
    pending: Vec<usize>,
    tokens: Vec<Token>,
    /// When the input ended inside an unfinished here-document (the tokens are still usable).
    pub open_heredoc: Option<(usize, String)>,
}

fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '|' | '&' | ';' | '<' | '>' | '(' | ')')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The line and delimiter of a here-document that the input ended inside.
pub type OpenHeredoc = Option<(usize, String)>;

/// Tokenises a whole script. An unfinished here-document is reported in `open_heredoc` rather
/// than as an error, so callers can warn like bash and still run the command.
pub fn tokenize(src: &str) -> Result<(Vec<Token>, OpenHeredoc), LexError> {
    let mut lx =
        Lexer { chars: src.chars().collect(), pos: 0, line: 1, _src: src, pending: Vec::new(), tokens: Vec::new(), open_heredoc: None };
    lx.run()?;
    Ok((lx.tokens, lx.open_heredoc))
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.tokens.push(Token { tok, start, end: self.pos, line: self.line });
    }

    fn run(&mut self) -> Result<(), LexError> {
        while let Some(c) = self.peek() {
            let start = self.pos;
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                '\n' => {
                    self.pos += 1;
                    self.push(Tok::Newline, start);
                    self.line += 1;
                    self.read_heredoc_bodies()?;
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '|' | '&' | ';' | '(' | ')' => self.operator(c, start),
                '<' | '>' => {
                    if c == '<' && self.peek_at(1) == Some('(') {
                        let w = self.word()?;
                        self.push(Tok::Word(w), start);
                    } else {
                        self.redirection(None, start)?;
                    }
                }
                _ => {
                    // `2>file`: a number directly before a redirection is its file descriptor.
                    let mut n = 0;
                    while self.peek_at(n).is_some_and(|c| c.is_ascii_digit()) {
                        n += 1;
                    }
                    if n > 0 && n < 4 && matches!(self.peek_at(n), Some('<' | '>')) && self.peek_at(n + 1) != Some('(') {
                        let fd: String = self.chars[self.pos..self.pos + n].iter().collect();
                        self.pos += n;
                        self.redirection(fd.parse().ok(), start)?;
                    } else {
                        let w = self.word()?;
                        self.push(Tok::Word(w), start);
                    }
                }
            }
        }
        if let Some(&i) = self.pending.first()
            && let Tok::Heredoc(h) = &self.tokens[i].tok
        {
            // A here-document started on the last line with no newline after it.
            self.open_heredoc = Some((h.line, h.delimiter.clone()));
            let idxs = std::mem::take(&mut self.pending);
            for i in idxs {
                if let Tok::Heredoc(h) = &mut self.tokens[i].tok {
                    h.body = Some(Word::default());
                }
            }
        }
        Ok(())
    }

    fn operator(&mut self, c: char, start: usize) {
        let next = self.peek_at(1);
        let op: &'static str = match (c, next) {
            ('|', Some('|')) => "||",
            ('|', Some('&')) => "|&",
            ('&', Some('&')) => "&&",
            (';', Some(';')) if self.peek_at(2) == Some('&') => ";;&",
            (';', Some(';')) => ";;",
            (';', Some('&')) => ";&",
            ('|', _) => "|",
            ('&', Some('>')) => {
                // `&>` / `&>>`
                self.pos += 2;
                let op = if self.peek() == Some('>') {
                    self.pos += 1;
                    RedirOp::AppendOutErr
                } else {
                    RedirOp::OutErr
                };
                self.push(Tok::Redir { fd: None, op }, start);
                return;
            }
            ('&', _) => "&",
            (';', _) => ";",
            ('(', _) => "(",
            _ => ")",
        };
        self.pos += op.len();
        self.push(Tok::Op(op), start);
    }

    fn redirection(&mut self, fd: Option<u32>, start: usize) -> Result<(), LexError> {
        let c = self.peek().unwrap_or('>');
        self.pos += 1;
        let op = if c == '>' {
            match self.peek() {
                Some('>') => {
                    self.pos += 1;
                    RedirOp::Append
                }
                Some('&') => {
                    self.pos += 1;
                    RedirOp::DupOut
                }
                Some('|') => {
                    self.pos += 1;
                    RedirOp::Out
                }
                _ => RedirOp::Out,
            }
        } else {
            match self.peek() {
                Some('<') if self.peek_at(1) == Some('<') => {
                    self.pos += 2;
                    RedirOp::HereString
                }
                Some('<') => {
                    self.pos += 1;
                    let strip_tabs = self.peek() == Some('-');
                    if strip_tabs {
                        self.pos += 1;
                    }
                    return self.heredoc(fd, strip_tabs, start);
                }
                Some('&') => {
                    self.pos += 1;
                    RedirOp::DupIn
                }
                Some('>') => {
                    self.pos += 1;
                    RedirOp::ReadWrite
                }
                _ => RedirOp::In,
            }
        };
        self.push(Tok::Redir { fd, op }, start);
        Ok(())
    }

    fn heredoc(&mut self, fd: Option<u32>, strip_tabs: bool, start: usize) -> Result<(), LexError> {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        // The delimiter word: any quoting makes the body literal; the quotes are removed.
        let mut delimiter = String::new();
        let mut quoted = false;
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            self.pos += 1;
            match c {
                '\'' | '"' => {
                    quoted = true;
                    loop {
                        match self.peek() {
                            None => return Err(LexError::OpenQuote(c, self.line)),
                            Some(q) if q == c => {
                                self.pos += 1;
                                break;
                            }
                            Some(q) => {
                                delimiter.push(q);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    quoted = true;
                    if let Some(n) = self.peek() {
                        delimiter.push(n);
                        self.pos += 1;
                    }
                }
                _ => delimiter.push(c),
            }
        }
        let h = Heredoc { fd, delimiter, quoted, strip_tabs, body: None, line: self.line };
        self.push(Tok::Heredoc(h), start);
        self.pending.push(self.tokens.len() - 1);
        Ok(())
    }

    /// Reads the bodies of the here-documents opened on the line that just ended.
    fn read_heredoc_bodies(&mut self) -> Result<(), LexError> {
        for idx in std::mem::take(&mut self.pending) {
            let Tok::Heredoc(h) = &self.tokens[idx].tok else { continue };
            let (delim, strip, quoted) = (h.delimiter.clone(), h.strip_tabs, h.quoted);
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.chars.len() {
                let line_start = self.pos;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let mut line: String = self.chars[line_start..self.pos].iter().collect();
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
                self.line += 1;
                if strip {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == delim {
                    found = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !found {
                self.open_heredoc = Some((self.tokens[idx].line, delim.clone()));
            }
            let word = if quoted { Word { parts: vec![Part::Quoted(body.clone())], raw: body } } else { heredoc_word(&body) };
            if let Tok::Heredoc(h) = &mut self.tokens[idx].tok {
                h.body = Some(word);
            }
        }
        Ok(())
    }

    /// Reads one word starting at the current position.
    fn word(&mut self) -> Result<Word, LexError> {
        let start = self.pos;
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        if self.peek() == Some('~') {
            let mut n = 1;
            while self.peek_at(n).is_some_and(|c| is_name_char(c) || c == '-' || c == '.') {
                n += 1;
            }
            if self.peek_at(n).is_none_or(|c| c == '/' || is_meta(c)) {
                let user: String = self.chars[self.pos + 1..self.pos + n].iter().collect();
                parts.push(Part::Tilde(user));
                self.pos += n;
            }
        }
        while let Some(c) = self.peek() {
            if is_meta(c) {
                if c == '<' && self.peek_at(1) == Some('(') {
                    flush(&mut lit, &mut parts);
                    self.pos += 2;
                    let end = self.find_close_paren(self.pos)?;
                    let src: String = self.chars[self.pos..end].iter().collect();
                    self.pos = end + 1;
                    parts.push(Part::ProcSub(src));
                    continue;
                }
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        // A backslash at the very end of the input is a literal backslash.
                        None => {
                            flush(&mut lit, &mut parts);
                            parts.push(Part::Quoted("\\".to_string()));
                        }
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(n) => {
                            flush(&mut lit, &mut parts);
                            parts.push(Part::Quoted(n.to_string()));
                            self.pos += 1;
                        }
                    }
                }
                '\'' => {
                    flush(&mut lit, &mut parts);
                    let line = self.line;
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(LexError::OpenQuote('\'', line)),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(q) => {
                                if q == '\n' {
                                    self.line += 1;
                                }
                                s.push(q);
                                self.pos += 1;
                            }
                        }
                    }
                    parts.push(Part::Quoted(s));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    let line = self.line;
                    self.pos += 1;
                    self.double_quoted(&mut parts, line)?;
                }
                '$' => {
                    if self.peek_at(1) == Some('\'') {
                        flush(&mut lit, &mut parts);
                        self.pos += 2;
                        let s = self.ansi_c()?;
                        parts.push(Part::Quoted(s));
                    } else if self.peek_at(1) == Some('"') {
                        // `$"…"` (locale translation) is a plain double-quoted string here.
                        self.pos += 1;
                    } else if let Some(p) = self.dollar(false)? {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    let src = self.backtick()?;
                    parts.push(Part::CmdSub { src, quoted: false });
                }
                '~' if (parts.is_empty() && lit.ends_with('=') && is_name(&lit[..lit.len() - 1]))
                    || (lit.ends_with(':') && assignment_like(&parts, &lit)) =>
                {
                    // bash expands a tilde right after the `=` of an assignment-like word and
                    // after each `:` in its value (`KUBECONFIG=~/a:~/b`).
                    let mut n = 1;
                    while self.peek_at(n).is_some_and(|c| is_name_char(c) || c == '-' || c == '.') {
                        n += 1;
                    }
                    if self.peek_at(n).is_none_or(|c| c == '/' || c == ':' || is_meta(c)) {
                        let user: String = self.chars[self.pos + 1..self.pos + n].iter().collect();
                        flush(&mut lit, &mut parts);
                        parts.push(Part::Tilde(user));
                        self.pos += n;
                    } else {
                        lit.push(c);
                        self.pos += 1;
                    }
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        let raw = self.chars[start..self.pos].iter().collect();
        Ok(Word { parts, raw })
    }

    fn double_quoted(&mut self, parts: &mut Vec<Part>, line: usize) -> Result<(), LexError> {
        let mut s = String::new();
        // An empty pair of quotes still makes an (empty) argument.
        parts.push(Part::Quoted(String::new()));
        loop {
            let Some(c) = self.peek() else { return Err(LexError::OpenQuote('"', line)) };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(n @ ('$' | '`' | '"' | '\\')) => {
                            s.push(n);
                            self.pos += 1;
                        }
                        _ => s.push('\\'),
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar(true)? {
                        if !s.is_empty() {
                            parts.push(Part::Quoted(std::mem::take(&mut s)));
                        }
                        parts.push(p);
                    } else {
                        s.push('$');
                    }
                }
                '`' => {
                    if !s.is_empty() {
                        parts.push(Part::Quoted(std::mem::take(&mut s)));
                    }
                    let src = self.backtick()?;
                    parts.push(Part::CmdSub { src, quoted: true });
                }
                _ => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
        if !s.is_empty() {
            parts.push(Part::Quoted(s));
        }
        Ok(())
    }

    /// `$'…'` with C escapes.
    fn ansi_c(&mut self) -> Result<String, LexError> {
        let line = self.line;
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(LexError::OpenQuote('\'', line)) };
            self.pos += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(n) = self.peek() else { return Err(LexError::OpenQuote('\'', line)) };
                    self.pos += 1;
                    match n {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        '0'..='7' => {
                            let mut v = n.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.peek().and_then(|d| d.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                        }
                        'x' => {
                            let mut v = 0;
                            let mut any = false;
                            for _ in 0..2 {
                                match self.peek().and_then(|d| d.to_digit(16)) {
                                    Some(d) => {
                                        v = v * 16 + d;
                                        any = true;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            if any {
                                s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            } else {
                                s.push_str("\\x");
                            }
                        }
                        '\\' | '\'' | '"' | '?' => s.push(n),
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                _ => s.push(c),
            }
        }
    }

    /// Reads a `$…` expansion at the current position (on the `$`). `None` when the `$` is literal.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, LexError> {
        let line = self.line;
        match self.peek_at(1) {
            Some('(') if self.peek_at(2) == Some('(') => {
                let open = self.pos + 3;
                let end = self.find_close_paren(open)?;
                // `$((…))` needs the second closing paren right after.
                if self.chars.get(end + 1) == Some(&')') {
                    let src: String = self.chars[open..end].iter().collect();
                    self.pos = end + 2;
                    return Ok(Some(Part::Arith { src, quoted }));
                }
                let open = self.pos + 2;
                let end = self.find_close_paren(open)?;
                let src: String = self.chars[open..end].iter().collect();
                self.pos = end + 1;
                Ok(Some(Part::CmdSub { src, quoted }))
            }
            Some('(') => {
                let open = self.pos + 2;
                let end = self.find_close_paren(open)?;
                let src: String = self.chars[open..end].iter().collect();
                self.pos = end + 1;
                Ok(Some(Part::CmdSub { src, quoted }))
            }
            Some('{') => {
                let open = self.pos + 2;
                let mut i = open;
                let mut depth = 0;
                loop {
                    match self.chars.get(i) {
                        None => return Err(LexError::OpenQuote('}', line)),
                        Some('\\') => i += 2,
                        Some('{') => {
                            depth += 1;
                            i += 1;
                        }
                        Some('}') if depth == 0 => break,
                        Some('}') => {
                            depth -= 1;
                            i += 1;
                        }
                        Some('\'') if !quoted => {
                            i += 1;
                            while self.chars.get(i).is_some_and(|c| *c != '\'') {
                                i += 1;
                            }
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
                let inner: String = self.chars[open..i.min(self.chars.len())].iter().collect();
                self.pos = i + 1;
                Ok(Some(parse_braced(&inner, quoted)))
            }
            Some(c) if is_name_start(c) => {
                let mut n = 1;
                while self.peek_at(n).is_some_and(is_name_char) {
                    n += 1;
                }
                let name: String = self.chars[self.pos + 1..self.pos + n].iter().collect();
                self.pos += n;
                Ok(Some(Part::Param { name, op: ParamOp::Plain, quoted }))
            }
            Some(c) if c.is_ascii_digit() || matches!(c, '?' | '#' | '$' | '!' | '@' | '*' | '-') => {
                self.pos += 2;
                Ok(Some(Part::Param { name: c.to_string(), op: ParamOp::Plain, quoted }))
            }
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }

    /// Reads a backtick substitution (on the opening backtick) and returns its inner source with
    /// the backslash escapes that backticks define removed.
    fn backtick(&mut self) -> Result<String, LexError> {
        let line = self.line;
        self.pos += 1;
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(LexError::OpenQuote('`', line)) };
            self.pos += 1;
            match c {
                '`' => return Ok(s),
                '\\' => match self.peek() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        s.push(n);
                        self.pos += 1;
                    }
                    _ => s.push('\\'),
                },
                _ => s.push(c),
            }
        }
    }

    /// The index of the `)` closing a `(` whose contents start at `from`, skipping quotes.
    fn find_close_paren(&self, from: usize) -> Result<usize, LexError> {
        let mut depth = 0usize;
        let mut i = from;
        while let Some(&c) = self.chars.get(i) {
            match c {
                '\\' => i += 1,
                '\'' => {
                    i += 1;
                    while self.chars.get(i).is_some_and(|c| *c != '\'') {
                        i += 1;
                    }
                    if i >= self.chars.len() {
                        return Err(LexError::OpenQuote('\'', self.line));
                    }
                }
                '"' => {
                    i += 1;
                    while let Some(&d) = self.chars.get(i) {
                        if d == '\\' {
                            i += 1;
                        } else if d == '"' {
                            break;
                        }
                        i += 1;
                    }
                    if i >= self.chars.len() {
                        return Err(LexError::OpenQuote('"', self.line));
                    }
                }
                '(' => depth += 1,
                ')' if depth == 0 => return Ok(i),
                ')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        Err(LexError::OpenQuote(')', self.line))
    }
}

/// Whether a word being read started as `NAME=…`.
fn assignment_like(parts: &[Part], lit: &str) -> bool {
    let first = match parts.first() {
        Some(Part::Lit(s)) => s.as_str(),
        Some(_) => return false,
        None => lit,
    };
    first.split_once('=').is_some_and(|(n, _)| is_name(n))
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

/// Splits the inside of `${…}` into a name and an operator.
/// The length of a parameter name at the start of `s`, with an array subscript (`a[1]`, `a[@]`).
fn name_len(s: &str) -> usize {
    if s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '?' | '#' | '$' | '!' | '@' | '*' | '-')) {
        return 1;
    }
    let n = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    if n > 0 && s[n..].starts_with('[') {
        let mut depth = 0;
        for (i, c) in s[n..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        return n + i + 1;
                    }
                }
                _ => {}
            }
        }
    }
    n
}

fn parse_braced(inner: &str, quoted: bool) -> Part {
    if let Some(rest) = inner.strip_prefix('#')
        && !rest.is_empty()
        && name_len(rest) == rest.len()
    {
        return Part::Param { name: rest.to_string(), op: ParamOp::Length, quoted };
    }
    if let Some(rest) = inner.strip_prefix('!')
        && !rest.is_empty()
        && name_len(rest) == rest.len()
        && rest.starts_with(is_name_start)
    {
        let op = if rest.ends_with("[@]") || rest.ends_with("[*]") { ParamOp::Keys } else { ParamOp::Indirect };
        return Part::Param { name: rest.to_string(), op, quoted };
    }
    let (name, rest) = inner.split_at(name_len(inner));
    let name = name.to_string();
    let op = if rest.is_empty() {
        ParamOp::Plain
    } else {
        let (colon, r) = match rest.strip_prefix(':') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let word = r.get(1..).unwrap_or("").to_string();
        match r.chars().next() {
            Some('-') => ParamOp::Default { colon, word },
            Some('=') => ParamOp::Assign { colon, word },
            Some('+') => ParamOp::Alternative { colon, word },
            Some('?') => ParamOp::Error { colon, word },
            Some('#') if !colon => match r.strip_prefix("##") {
                Some(p) => ParamOp::Trim { suffix: false, longest: true, pattern: p.to_string() },
                None => ParamOp::Trim { suffix: false, longest: false, pattern: word },
            },
            Some('%') if !colon => match r.strip_prefix("%%") {
                Some(p) => ParamOp::Trim { suffix: true, longest: true, pattern: p.to_string() },
                None => ParamOp::Trim { suffix: true, longest: false, pattern: word },
            },
            Some('/') if !colon => {
                let (all, body) = match r.strip_prefix("//") {
                    Some(b) => (true, b),
                    None => (false, &r[1..]),
                };
                let (pattern, with) = body.split_once('/').unwrap_or((body, ""));
                ParamOp::Replace { all, pattern: pattern.to_string(), with: with.to_string() }
            }
            _ if colon => {
                let (offset, length) = match r.split_once(':') {
                    Some((o, l)) => (o.to_string(), Some(l.to_string())),
                    None => (r.to_string(), None),
                };
                ParamOp::Substr { offset, length }
            }
            Some(c @ ('^' | ',')) => ParamOp::Case { upper: c == '^', all: r.len() > 1 && r[1..].starts_with(c) },
            // Arrays and the rarer forms are not modelled; keep the plain value.
            _ => ParamOp::Plain,
        }
    };
    Part::Param { name, op, quoted }
}

/// The body of an unquoted here-document: `$…`, backticks and `\$ \` \\` are special; quotes are not.
pub fn heredoc_word(body: &str) -> Word {
    let mut lx =
        Lexer { chars: body.chars().collect(), pos: 0, line: 1, _src: body, pending: Vec::new(), tokens: Vec::new(), open_heredoc: None };
    let mut parts = Vec::new();
    let mut s = String::new();
    while let Some(c) = lx.peek() {
        match c {
            '\\' => {
                lx.pos += 1;
                match lx.peek() {
                    Some('\n') => lx.pos += 1,
                    Some(n @ ('$' | '`' | '\\')) => {
                        s.push(n);
                        lx.pos += 1;
                    }
                    _ => s.push('\\'),
                }
            }
            '$' => {
                let save = lx.pos;
                match lx.dollar(true) {
                    Ok(Some(p)) => {
                        if !s.is_empty() {
                            parts.push(Part::Quoted(std::mem::take(&mut s)));
                        }
                        parts.push(p);
                    }
                    Ok(None) => s.push('$'),
                    Err(_) => {
                        lx.pos = save + 1;
                        s.push('$');
                    }
                }
            }
            '`' => {
                let save = lx.pos;
                match lx.backtick() {
                    Ok(src) => {
                        if !s.is_empty() {
                            parts.push(Part::Quoted(std::mem::take(&mut s)));
                        }
                        parts.push(Part::CmdSub { src, quoted: true });
                    }
                    Err(_) => {
                        lx.pos = save + 1;
                        s.push('`');
                    }
                }
            }
            _ => {
                s.push(c);
                lx.pos += 1;
            }
        }
    }
    if !s.is_empty() {
        parts.push(Part::Quoted(s));
    }
    Word { parts, raw: body.to_string() }
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<Word> {
        tokenize(src)
            .unwrap()
            .0
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Word(w) => Some(w),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn quotes_and_escapes_become_quoted_parts() {
        let w = words(r#"a'b c'"d $X e"\ f"#);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].parts,
            vec![
                Part::Lit("a".into()),
                Part::Quoted("b c".into()),
                Part::Quoted(String::new()),
                Part::Quoted("d ".into()),
                Part::Param { name: "X".into(), op: ParamOp::Plain, quoted: true },
                Part::Quoted(" e".into()),
                Part::Quoted(" ".into()),
                Part::Lit("f".into())
            ]
        );
    }

    #[test]
    fn operators_redirections_and_fds() {
        let (toks, _) = tokenize("a 2>&1 | b >> f && c &> /dev/null; d 2>x").unwrap();
        let kinds: Vec<String> = toks
            .iter()
            .map(|t| match &t.tok {
                Tok::Word(w) => w.raw.clone(),
                Tok::Op(o) => (*o).to_string(),
                Tok::Redir { fd, op } => format!("{fd:?}{op:?}"),
                Tok::Heredoc(_) => "<<".into(),
                Tok::Newline => "\\n".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["a", "Some(2)DupOut", "1", "|", "b", "NoneAppend", "f", "&&", "c", "NoneOutErr", "/dev/null", ";", "d", "Some(2)Out", "x"]
        );
    }

    #[test]
    fn heredoc_bodies_are_read_after_the_line() {
        let (toks, open) = tokenize("cat <<EOF > f\nhello $X\nEOF\necho done\n").unwrap();
        assert!(open.is_none());
        let Tok::Heredoc(h) = &toks[1].tok else { panic!("{toks:?}") };
        let body = h.body.as_ref().unwrap();
        assert_eq!(body.parts[0], Part::Quoted("hello ".into()));
        assert!(matches!(&body.parts[1], Part::Param { name, .. } if name == "X"));
        assert!(toks.iter().any(|t| matches!(&t.tok, Tok::Word(w) if w.raw == "done")));
    }

    #[test]
    fn quoted_heredoc_and_strip_tabs() {
        let (toks, _) = tokenize("cat <<-'E'\n\t$X\n\tE\n").unwrap();
        let Tok::Heredoc(h) = &toks[1].tok else { panic!() };
        assert!(h.quoted);
        assert_eq!(h.body.as_ref().unwrap().parts, vec![Part::Quoted("$X\n".into())]);
    }

    #[test]
    fn open_quotes_are_errors() {
        assert_eq!(tokenize("echo 'abc").unwrap_err(), LexError::OpenQuote('\'', 1));
        assert_eq!(tokenize("echo \"abc").unwrap_err(), LexError::OpenQuote('"', 1));
        assert_eq!(tokenize("echo $(ls").unwrap_err(), LexError::OpenQuote(')', 1));
        // A final backslash is literal (an interactive terminal asks for more first).
        assert!(tokenize("echo \\").is_ok_and(|(t, _)| matches!(&t[1].tok, Tok::Word(w) if w.parts == [Part::Quoted("\\".into())])));
    }

    #[test]
    fn command_substitution_and_braces() {
        let w = words("$(echo \"a)\") ${X:-d} `b` $((1+2)) <(k completion bash) ~/x");
        assert_eq!(w[0].parts, vec![Part::CmdSub { src: "echo \"a)\"".into(), quoted: false }]);
        assert!(matches!(&w[1].parts[0], Part::Param { op: ParamOp::Default { colon: true, word }, .. } if word == "d"));
        assert_eq!(w[2].parts, vec![Part::CmdSub { src: "b".into(), quoted: false }]);
        assert_eq!(w[3].parts, vec![Part::Arith { src: "1+2".into(), quoted: false }]);
        assert_eq!(w[4].parts, vec![Part::ProcSub("k completion bash".into())]);
        assert_eq!(w[5].parts, vec![Part::Tilde(String::new()), Part::Lit("/x".into())]);
    }
}
