//! Builds the command tree from tokens: lists, `&&`/`||`, pipelines, simple commands with
//! assignments and redirections, and the compound commands scripts use (`{ }`, `( )`, `if`,
//! `for`, `while`, `case`, functions, `[[ ]]`, `(( ))`).

use thiserror::Error;

use super::lexer::{self, Heredoc, LexError, RedirOp, Tok, Token, Word};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error(transparent)]
    Lex(#[from] LexError),
    /// bash: `syntax error near unexpected token `X'`
    #[error("syntax error near unexpected token `{0}'")]
    Unexpected(String),
    /// The input ended where more was needed (after `|`, `&&`, inside `if` …).
    #[error("syntax error: unexpected end of file")]
    Eof,
}

#[derive(Debug, Clone, Default)]
pub struct List {
    pub items: Vec<AndOr>,
}

#[derive(Debug, Clone)]
pub struct AndOr {
    pub first: Pipeline,
    /// `true` for `&&`, `false` for `||`.
    pub rest: Vec<(bool, Pipeline)>,
    /// Ended by `&`: runs as a background job.
    pub background: bool,
    /// The source text (what `jobs` and the job notices show).
    pub src: String,
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub negated: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub enum RedirTarget {
    Word(Word),
    Heredoc(Heredoc),
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: RedirTarget,
}

#[derive(Debug, Clone, Default)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    /// `a=(x y)` / `a+=(z)`: the name (with `+` when appending) and the source between the parens,
    /// expanded into elements when the assignment runs.
    pub arrays: Vec<(String, String)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(Simple),
    Group(List, Vec<Redir>),
    Subshell(List, Vec<Redir>),
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
        redirs: Vec<Redir>,
    },
    While {
        until: bool,
        cond: List,
        body: List,
        redirs: Vec<Redir>,
    },
    Case {
        word: Word,
        /// Patterns, body, and the terminator: `;;` (stop), `;&` (run the next body too) or
        /// `;;&` (test the next patterns).
        arms: Vec<(Vec<Word>, List, &'static str)>,
        redirs: Vec<Redir>,
    },
    /// `name() { … }`: the body's source, parsed again when the function is called.
    Function {
        name: String,
        body: String,
    },
    /// `[[ … ]]`: its words, with operators kept as plain words.
    Cond(Vec<Word>),
    /// `(( … ))`
    Arith(String),
    /// `for (( init; cond; step ))`
    ArithFor {
        init: String,
        cond: String,
        step: String,
        body: List,
        redirs: Vec<Redir>,
    },
}

struct Parser<'a> {
    toks: &'a [Token],
    src: &'a [char],
    pos: usize,
    /// Nesting depth, bounded so hostile input cannot overflow the stack.
    depth: usize,
}

const MAX_DEPTH: usize = 200;

/// Parses a whole script. Returns the tree and, when the input ended inside a here-document,
/// its line and delimiter (bash warns and runs the command anyway).
pub fn parse(src: &str) -> Result<(List, Option<(usize, String)>), ParseError> {
    let (toks, open) = lexer::tokenize(src)?;
    let chars: Vec<char> = src.chars().collect();
    let mut p = Parser { toks: &toks, src: &chars, pos: 0, depth: 0 };
    let list = p.list(&[])?;
    if let Some(t) = p.peek() {
        return Err(ParseError::Unexpected(describe(&t.tok)));
    }
    Ok((list, open))
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => w.raw.clone(),
        Tok::Op(o) => (*o).to_string(),
        Tok::Redir { op, .. } => match op {
            RedirOp::Out => ">",
            RedirOp::Append => ">>",
            RedirOp::In => "<",
            RedirOp::ReadWrite => "<>",
            RedirOp::DupOut => ">&",
            RedirOp::DupIn => "<&",
            RedirOp::OutErr => "&>",
            RedirOp::AppendOutErr => "&>>",
            RedirOp::HereString => "<<<",
        }
        .to_string(),
        Tok::Heredoc(h) => if h.strip_tabs { "<<-" } else { "<<" }.to_string(),
        Tok::Newline => "newline".to_string(),
    }
}

const CANNOT_START: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}", "in"];

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self) -> Option<&str> {
        match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) => w.plain(),
            _ => None,
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek().map(|t| &t.tok), Some(Tok::Op(o)) if *o == op)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek().map(|t| &t.tok), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn unexpected(&self) -> ParseError {
        match self.peek() {
            Some(t) => ParseError::Unexpected(describe(&t.tok)),
            None => ParseError::Eof,
        }
    }

    fn at_stop(&self, stops: &[&str]) -> bool {
        if let Some(w) = self.peek_word() {
            return stops.contains(&w);
        }
        (stops.contains(&")") && self.is_op(")")) || (stops.contains(&";;") && (self.is_op(";;") || self.is_op(";&") || self.is_op(";;&")))
    }

    /// A list of and-or items up to one of `stops` (keywords, `)` or `;;`) or the end.
    fn list(&mut self, stops: &[&str]) -> Result<List, ParseError> {
        let mut list = List::default();
        loop {
            self.skip_newlines();
            if self.peek().is_none() || self.at_stop(stops) {
                return Ok(list);
            }
            let start = self.peek().map_or(0, |t| t.start);
            let mut item = self.and_or()?;
            let end = self.toks.get(self.pos.saturating_sub(1)).map_or(start, |t| t.end);
            item.src = self.src.get(start..end.max(start)).map(|c| c.iter().collect::<String>()).unwrap_or_default().trim().to_string();
            if self.is_op("&") {
                item.background = true;
            }
            list.items.push(item);
            match self.peek().map(|t| &t.tok) {
                Some(Tok::Op(";" | "&")) | Some(Tok::Newline) => self.pos += 1,
                None => return Ok(list),
                _ if self.at_stop(stops) => return Ok(list),
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek().map(|t| &t.tok) {
                Some(Tok::Op("&&")) => true,
                Some(Tok::Op("||")) => false,
                _ => break,
            };
            self.pos += 1;
            self.skip_newlines();
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest, background: false, src: String::new() })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut negated = false;
        if self.peek_word() == Some("!") {
            negated = true;
            self.pos += 1;
        }
        let mut cmds = vec![self.command()?];
        while self.is_op("|") || self.is_op("|&") {
            self.pos += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        Ok(Pipeline { negated, cmds })
    }

    fn expect_word(&mut self, kw: &str) -> Result<(), ParseError> {
        self.skip_newlines();
        if self.peek_word() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.unexpected());
        }
        self.depth += 1;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> Result<Command, ParseError> {
        let Some(tok) = self.peek() else { return Err(ParseError::Eof) };
        match &tok.tok {
            Tok::Op("(") => {
                let start = tok.end;
                if let Some(Token { tok: Tok::Op("("), start: s2, .. }) = self.toks.get(self.pos + 1)
                    && *s2 == start
                {
                    return self.arith_command();
                }
                self.pos += 1;
                let body = self.list(&[")"])?;
                if !self.is_op(")") {
                    return Err(self.unexpected());
                }
                self.pos += 1;
                let redirs = self.redirs()?;
                Ok(Command::Subshell(body, redirs))
            }
            Tok::Op(_) | Tok::Newline => Err(self.unexpected()),
            Tok::Word(w) => match w.plain() {
                Some(k) if CANNOT_START.contains(&k) => Err(self.unexpected()),
                Some("{") => {
                    self.pos += 1;
                    let body = self.list(&["}"])?;
                    self.expect_word("}")?;
                    let redirs = self.redirs()?;
                    Ok(Command::Group(body, redirs))
                }
                Some("if") => self.if_command(),
                Some("for") => self.for_command(),
                Some(k @ ("while" | "until")) => {
                    let until = k == "until";
                    self.pos += 1;
                    let cond = self.list(&["do"])?;
                    self.expect_word("do")?;
                    let body = self.list(&["done"])?;
                    self.expect_word("done")?;
                    let redirs = self.redirs()?;
                    Ok(Command::While { until, cond, body, redirs })
                }
                Some("case") => self.case_command(),
                Some("function") => {
                    self.pos += 1;
                    let Some(name) = self.peek_word().map(str::to_string) else { return Err(self.unexpected()) };
                    self.pos += 1;
                    if self.is_op("(") {
                        self.pos += 1;
                        if !self.is_op(")") {
                            return Err(self.unexpected());
                        }
                        self.pos += 1;
                    }
                    self.function_body(name)
                }
                Some("[[") => self.cond_command(),
                Some(name)
                    if lexer::is_name(name.trim_start_matches(['_', '-', ':']))
                        && matches!(self.toks.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Op("(")))
                        && matches!(self.toks.get(self.pos + 2).map(|t| &t.tok), Some(Tok::Op(")"))) =>
                {
                    let name = name.to_string();
                    self.pos += 3;
                    self.function_body(name)
                }
                _ => self.simple(),
            },
            Tok::Redir { .. } | Tok::Heredoc(_) => self.simple(),
        }
    }

    /// The body of a function definition: a `{ … }` group whose source is kept for later.
    fn function_body(&mut self, name: String) -> Result<Command, ParseError> {
        self.skip_newlines();
        let Some(open) = self.peek() else { return Err(ParseError::Eof) };
        if self.peek_word() != Some("{") {
            // Other compound bodies (`f() ( … )`) are parsed and kept as source all the same.
            let start = open.start;
            self.command()?;
            let end = self.toks.get(self.pos.saturating_sub(1)).map_or(start, |t| t.end);
            return Ok(Command::Function { name, body: self.src[start..end].iter().collect() });
        }
        let start = open.start;
        // Match braces at the token level: the body may use syntax this shell does not run.
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            if let Tok::Word(w) = &t.tok {
                match w.plain() {
                    Some("{") => depth += 1,
                    Some("}") => {
                        depth -= 1;
                        if depth == 0 {
                            let end = t.end;
                            self.pos += 1;
                            return Ok(Command::Function { name, body: self.src[start..end].iter().collect() });
                        }
                    }
                    _ => {}
                }
            }
            self.pos += 1;
        }
        Err(ParseError::Eof)
    }

    fn arith_command(&mut self) -> Result<Command, ParseError> {
        let start = self.toks[self.pos + 1].end;
        self.pos += 2;
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Op("(") => depth += 1,
                Tok::Op(")") if depth > 0 => depth -= 1,
                Tok::Op(")") => {
                    let end = t.start;
                    if !matches!(self.toks.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Op(")"))) {
                        return Err(self.unexpected());
                    }
                    self.pos += 2;
                    return Ok(Command::Arith(self.src[start..end].iter().collect()));
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(ParseError::Eof)
    }

    fn cond_command(&mut self) -> Result<Command, ParseError> {
        self.pos += 1;
        let mut words: Vec<Word> = Vec::new();
        loop {
            let Some(t) = self.peek() else { return Err(ParseError::Eof) };
            // The regex after `=~` is one word even where it holds `(`, `|` or `)`.
            if words.last().is_some_and(|w| w.plain() == Some("=~")) && !matches!(&t.tok, Tok::Newline) {
                let mut merged = Word::default();
                let mut prev_end = None;
                while let Some(t) = self.peek() {
                    if prev_end.is_some_and(|e| e != t.start) || matches!(&t.tok, Tok::Newline) {
                        break;
                    }
                    match &t.tok {
                        Tok::Word(w) if w.plain() == Some("]]") && prev_end.is_some() => break,
                        Tok::Word(w) => merged.parts.extend(w.parts.iter().cloned()),
                        other => merged.parts.push(lexer::Part::Lit(describe(other))),
                    }
                    merged.raw.push_str(&self.src[t.start..t.end].iter().collect::<String>());
                    prev_end = Some(t.end);
                    self.pos += 1;
                }
                words.push(merged);
                continue;
            }
            match &t.tok {
                Tok::Word(w) if w.plain() == Some("]]") => {
                    self.pos += 1;
                    break;
                }
                Tok::Word(w) => words.push(w.clone()),
                Tok::Newline => return Err(self.unexpected()),
                other => {
                    let raw = describe(other);
                    words.push(Word { parts: vec![lexer::Part::Lit(raw.clone())], raw });
                }
            }
            self.pos += 1;
        }
        Ok(Command::Cond(words))
    }

    fn if_command(&mut self) -> Result<Command, ParseError> {
        self.pos += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list(&["then"])?;
            self.expect_word("then")?;
            let body = self.list(&["elif", "else", "fi"])?;
            branches.push((cond, body));
            self.skip_newlines();
            match self.peek_word() {
                Some("elif") => self.pos += 1,
                Some("else") => {
                    self.pos += 1;
                    otherwise = Some(self.list(&["fi"])?);
                    self.expect_word("fi")?;
                    break;
                }
                Some("fi") => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected()),
            }
        }
        let redirs = self.redirs()?;
        Ok(Command::If { branches, otherwise, redirs })
    }

    fn for_command(&mut self) -> Result<Command, ParseError> {
        self.pos += 1;
        if let Some(Token { tok: Tok::Op("("), end, .. }) = self.peek()
            && let Some(Token { tok: Tok::Op("("), start, .. }) = self.toks.get(self.pos + 1)
            && start == end
        {
            let Command::Arith(src) = self.arith_command()? else { return Err(self.unexpected()) };
            let parts: Vec<&str> = src.split(';').collect();
            let [init, cond, step] = parts.as_slice() else { return Err(ParseError::Unexpected("((".into())) };
            let (init, cond, step) = (init.to_string(), cond.to_string(), step.to_string());
            self.skip_newlines();
            if self.is_op(";") {
                self.pos += 1;
            }
            self.skip_newlines();
            let body = if self.peek_word() == Some("{") {
                self.pos += 1;
                let b = self.list(&["}"])?;
                self.expect_word("}")?;
                b
            } else {
                self.expect_word("do")?;
                let b = self.list(&["done"])?;
                self.expect_word("done")?;
                b
            };
            let redirs = self.redirs()?;
            return Ok(Command::ArithFor { init, cond, step, body, redirs });
        }
        let Some(var) = self.peek_word().filter(|v| lexer::is_name(v)).map(str::to_string) else { return Err(self.unexpected()) };
        self.pos += 1;
        let mut words = None;
        self.skip_newlines();
        if self.peek_word() == Some("in") {
            self.pos += 1;
            let mut ws = Vec::new();
            while let Some(Tok::Word(w)) = self.peek().map(|t| &t.tok) {
                ws.push(w.clone());
                self.pos += 1;
            }
            words = Some(ws);
        }
        if self.is_op(";") {
            self.pos += 1;
        }
        self.expect_word("do")?;
        let body = self.list(&["done"])?;
        self.expect_word("done")?;
        let redirs = self.redirs()?;
        Ok(Command::For { var, words, body, redirs })
    }

    fn case_command(&mut self) -> Result<Command, ParseError> {
        self.pos += 1;
        let Some(Tok::Word(word)) = self.peek().map(|t| t.tok.clone()) else { return Err(self.unexpected()) };
        self.pos += 1;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_word() == Some("esac") {
                self.pos += 1;
                break;
            }
            if self.is_op("(") {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                let Some(Tok::Word(w)) = self.peek().map(|t| t.tok.clone()) else { return Err(self.unexpected()) };
                patterns.push(w);
                self.pos += 1;
                if self.is_op("|") {
                    self.pos += 1;
                    continue;
                }
                if self.is_op(")") {
                    self.pos += 1;
                    break;
                }
                return Err(self.unexpected());
            }
            let body = self.list(&[";;", "esac"])?;
            let end = match self.peek().map(|t| &t.tok) {
                Some(Tok::Op(op @ (";;" | ";&" | ";;&"))) => *op,
                _ => "",
            };
            if !end.is_empty() {
                self.pos += 1;
            }
            let end = if end.is_empty() { ";;" } else { end };
            arms.push((patterns, body, end));
        }
        let redirs = self.redirs()?;
        Ok(Command::Case { word, arms, redirs })
    }

    /// Redirections after a compound command.
    fn redirs(&mut self) -> Result<Vec<Redir>, ParseError> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Redir { .. } | Tok::Heredoc(_) => out.push(self.redir()?),
                _ => break,
            }
        }
        Ok(out)
    }

    fn redir(&mut self) -> Result<Redir, ParseError> {
        let tok = self.toks[self.pos].tok.clone();
        self.pos += 1;
        match tok {
            Tok::Heredoc(h) => Ok(Redir { fd: h.fd, op: RedirOp::In, target: RedirTarget::Heredoc(h) }),
            Tok::Redir { fd, op } => match self.peek().map(|t| &t.tok) {
                Some(Tok::Word(w)) => {
                    let w = w.clone();
                    self.pos += 1;
                    Ok(Redir { fd, op, target: RedirTarget::Word(w) })
                }
                Some(_) => Err(self.unexpected()),
                None => Err(ParseError::Unexpected("newline".into())),
            },
            _ => Err(self.unexpected()),
        }
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let mut cmd = Simple::default();
        while let Some(t) = self.peek().cloned() {
            match &t.tok {
                Tok::Word(w) => {
                    let end = t.end;
                    let declaring = cmd.words.first().and_then(Word::plain).is_some_and(|c| DECLARERS.contains(&c));
                    // `a=(x y)` (also after `declare`/`local`): the source of the list is kept.
                    if (cmd.words.is_empty() || declaring)
                        && let Some((name, _)) = split_assignment(w)
                        && w.raw.ends_with('=')
                        && let Some(Token { tok: Tok::Op("("), start, .. }) = self.toks.get(self.pos + 1)
                        && *start == end
                    {
                        self.pos += 2;
                        let open = end + 1;
                        while let Some(Tok::Word(_) | Tok::Newline) = self.peek().map(|t| &t.tok) {
                            self.pos += 1;
                        }
                        let Some(close) = self.peek().filter(|_| self.is_op(")")).map(|t| t.start) else { return Err(self.unexpected()) };
                        self.pos += 1;
                        let inner: String = self.src[open..close].iter().collect();
                        if declaring {
                            let text = format!("{}=({inner})", w.raw.trim_end_matches('='));
                            cmd.words.push(Word { parts: vec![lexer::Part::Quoted(text.clone())], raw: text });
                        } else {
                            cmd.arrays.push((name, inner));
                        }
                        continue;
                    }
                    if cmd.words.is_empty()
                        && let Some((name, value)) = split_assignment(w)
                    {
                        self.pos += 1;
                        cmd.assigns.push((name, value));
                        continue;
                    }
                    cmd.words.push(w.clone());
                    self.pos += 1;
                }
                Tok::Redir { .. } | Tok::Heredoc(_) => {
                    let r = self.redir()?;
                    cmd.redirs.push(r);
                }
                Tok::Op("(") if !cmd.words.is_empty() => return Err(self.unexpected()),
                _ => break,
            }
        }
        Ok(Command::Simple(cmd))
    }
}

/// Builtins whose arguments may be array assignments (`declare -a a=(x y)`).
const DECLARERS: &[&str] = &["declare", "local", "typeset", "readonly", "export"];

/// `NAME=value` (also `NAME+=value` and `NAME[sub]=value`): the name and the value word.
pub fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let lexer::Part::Lit(first) = w.parts.first()? else { return None };
    let eq = first.find('=')?;
    let name = first[..eq].trim_end_matches('+');
    if !lexer::is_name(name) && !is_element(name) {
        return None;
    }
    // `NAME+=value` appends; the `+` stays on the name for the executor.
    let append = first[..eq].ends_with('+');
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    // `KUBECONFIG=~/x`: bash expands a tilde right after the `=`.
    if let Some(after) = rest.strip_prefix('~')
        && (after.is_empty() || after.starts_with('/'))
        && (after.is_empty() && w.parts.len() == 1 || !after.is_empty())
    {
        parts.push(lexer::Part::Tilde(String::new()));
        if !after.is_empty() {
            parts.push(lexer::Part::Lit(after.to_string()));
        }
    } else if !rest.is_empty() {
        parts.push(lexer::Part::Lit(rest.to_string()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    let raw = w.raw.get(eq + 1..).unwrap_or("").to_string();
    let name = if append { format!("{name}+") } else { name.to_string() };
    Some((name, Word { parts, raw }))
}

/// `a[1]`, `m[key]`: an array element as an assignment target.
pub fn is_element(name: &str) -> bool {
    name.strip_suffix(']').and_then(|n| n.split_once('[')).is_some_and(|(base, sub)| lexer::is_name(base) && !sub.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelines_and_lists() {
        let (l, _) = parse("a | b && c || d; e\nf").unwrap();
        assert_eq!(l.items.len(), 3);
        assert_eq!(l.items[0].first.cmds.len(), 2);
        assert_eq!(l.items[0].rest.len(), 2);
    }

    #[test]
    fn syntax_errors_name_the_token() {
        assert_eq!(parse("ls | | x").unwrap_err(), ParseError::Unexpected("|".into()));
        assert_eq!(parse("echo >").unwrap_err(), ParseError::Unexpected("newline".into()));
        assert_eq!(parse("; ls").unwrap_err(), ParseError::Unexpected(";".into()));
        assert_eq!(parse("fi").unwrap_err(), ParseError::Unexpected("fi".into()));
        assert_eq!(parse("echo a )").unwrap_err(), ParseError::Unexpected(")".into()));
        assert_eq!(parse("echo a |").unwrap_err(), ParseError::Eof);
        assert_eq!(parse("a &&").unwrap_err(), ParseError::Eof);
        assert_eq!(parse("if true; then").unwrap_err(), ParseError::Eof);
    }

    #[test]
    fn assignments_and_compounds() {
        let (l, _) = parse("A=1 B=\"x y\" cmd arg\nif a; then b; elif c; then d; else e; fi\nfor i in 1 2; do echo $i; done").unwrap();
        let Command::Simple(s) = &l.items[0].first.cmds[0] else { panic!() };
        assert_eq!(s.assigns.len(), 2);
        assert_eq!(s.words.len(), 2);
        assert!(matches!(&l.items[1].first.cmds[0], Command::If { branches, otherwise: Some(_), .. } if branches.len() == 2));
        assert!(matches!(&l.items[2].first.cmds[0], Command::For { var, words: Some(w), .. } if var == "i" && w.len() == 2));
    }

    #[test]
    fn functions_keep_their_source() {
        let (l, _) = parse("f()\n{\n  case $1 in a) echo x;; esac\n  if (((d & 1) != 0)); then :; fi\n}\nf a").unwrap();
        let Command::Function { name, body } = &l.items[0].first.cmds[0] else { panic!() };
        assert_eq!(name, "f");
        assert!(body.starts_with('{') && body.ends_with('}'));
        assert_eq!(l.items.len(), 2);
    }

    #[test]
    fn random_input_never_panics() {
        let alphabet: Vec<char> = "ab $'\"\\`(){}|&;<>-=~#\n\t*?[]!0129EOF+,:%^@".chars().collect();
        let mut seed: u64 = 0x1234_5678;
        for _ in 0..20_000 {
            let len = (seed % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let _ = parse(&s);
        }
        for src in ["for ((i=0;i<3;i++)); do echo $i; done", "a=(x 'y z' [3]=w)", "declare -A m=([k]=v)", "[[ a =~ ^(a|b)$ ]]", "x & y &"] {
            assert!(parse(src).is_ok(), "{src}");
        }
        let big = "$(".repeat(10_000);
        let _ = parse(&big);
        let _ = parse(&"\u{0}\u{ffff}\u{10ffff}".repeat(100));
    }
}
