use super::*;
use proptest::prelude::*;

fn refused(input: &str) -> VttError {
    parse(input.as_bytes()).expect_err("input should be refused")
}

fn cue(start_ms: u64, end_ms: u64, text: &str) -> Cue {
    Cue { start_ms, end_ms, text: text.to_string() }
}

#[test]
fn parses_valid_file_with_ids_settings_notes_and_crlf() {
    let input = "\u{feff}WEBVTT - Session 3\r\nKind: captions\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\
            \r\nREGION\r\nid:left\r\n\r\nNOTE written by the coach\r\n\r\nintro\r\n\
            00:01.000 --> 00:04.500 align:start position:10%\r\n<v Coach>Welcome &amp; hello</v>\r\n\
            <i>second</i> line\r\n\r\nNOTE\r\nmid-file note\r\n\r\n\
            01:00:00.000-->01:00:01.000\r\nend\r\n";
    let expected = vec![cue(1000, 4500, "Welcome & hello\nsecond line"), cue(3_600_000, 3_601_000, "end")];
    assert_eq!(parse(input.as_bytes()), Ok(expected));
}

#[test]
fn accepts_lf_and_cr_line_endings() {
    let expected = Ok(vec![cue(0, 1000, "a\nb"), cue(0, 2000, "c")]);
    assert_eq!(parse(b"WEBVTT\n\n00:00.000 --> 00:01.000\na\nb\n\n00:00.000 --> 00:02.000\nc"), expected);
    assert_eq!(
        parse(b"WEBVTT\tx\r\r00:00.000 --> 00:01.000\ra\rb\r\r00:00.000 --> 00:02.000\rc\r"),
        expected
    );
    assert_eq!(parse(b"WEBVTT\n\nNOTE only a note\n"), Ok(vec![]));
    let spaced = b"WEBVTT\n \t\n00:00.000 --> 00:01.000\na\nb\n  \n00:00.000 --> 00:02.000\n\tc\n";
    assert_eq!(parse(spaced), Ok(vec![cue(0, 1000, "a\nb"), cue(0, 2000, "\tc")]));
}

#[test]
fn refuses_bad_encoding_empty_files_and_missing_signature() {
    let bad_utf8 = parse(b"WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nbad \xff\n").unwrap_err();
    assert_eq!(bad_utf8.line, 4);
    assert!(bad_utf8.reason.contains("UTF-8"));
    for empty in ["", "\u{feff}", "  \n\n"] {
        assert_eq!(refused(empty).line, 1);
        assert!(refused(empty).reason.contains("empty"));
    }
    let srt = refused("1\n00:00:01,000 --> 00:00:02,000\nhi\n");
    assert_eq!((srt.line, srt.reason.contains("start with a line reading WEBVTT")), (1, true));
    assert!(refused("WEBVTTX\n").reason.contains("WEBVTT on its own"));
    assert_eq!(refused("\n\nWEBVTT\n").line, 1);
}

#[test]
fn refuses_oversized_input_on_line_one() {
    let mut input = b"WEBVTT\n\n".to_vec();
    input.resize(MAX_INPUT_BYTES + 1, b'a');
    let error = parse(&input).unwrap_err();
    assert_eq!((error.line, error.reason.contains("limit is 5 MiB")), (1, true));
}

#[test]
fn refuses_malformed_timestamps_with_a_helpful_reason() {
    let cases = [
        ("00:01.5", "needs three digits of milliseconds, like 00:01.500"),
        ("00:01.5000", "needs three digits of milliseconds, like 00:01.500"),
        ("00:01,500", "uses a comma before the milliseconds; use a dot, like 00:01.500"),
        ("00:01", "needs milliseconds after a dot, like 00:01.000"),
        ("00:60.000", "has seconds above 59; carry them into the minutes"),
        ("60:00.000", "has minutes above 59; add hours, like 01:00:00.000"),
        ("1:02:03.000", "needs at least two digits for hours, like 01:02:03.000"),
        ("0:01.000", "needs two digits for minutes and seconds, like 01:05.000"),
        ("1:2:3:4.000", "is not a valid time; write it like 00:01.500 or 01:02:03.500"),
        ("soon", "is not a valid time; write it like 00:01.500 or 01:02:03.500"),
        ("99999999999999999999:00:00.000", "is not a valid time; write it like 00:01.500 or 01:02:03.500"),
    ];
    let header = "WEBVTT\n\n00:00.000 --> 00:00.500\nok\n\nid\n00:00.000 --> ";
    for (time, reason) in cases {
        let error = refused(&format!("{header}{time} align:start\nhi\n"));
        assert_eq!(error, VttError { line: 7, reason: format!("the time \"{time}\" {reason}") });
    }
    assert_eq!(parse(format!("{header}9999999:00:00.000\nhi").as_bytes()).map(|cues| cues.len()), Ok(2));
    assert!(refused("WEBVTT\n\n --> 00:01.000\nhi").reason.contains("start time is missing"));
    assert!(refused("WEBVTT\n\n00:01.000 -->\nhi").reason.contains("end time is missing"));
}

#[test]
fn refuses_bad_cue_structure_on_the_right_line() {
    let cases = [
        ("WEBVTT\n\n00:02.000 --> 00:02.000\nhi", 3, "not after its start"),
        ("WEBVTT\n\n00:05.000 --> 00:06.000\nhi\n\n00:04.000 --> 00:07.000\nhi", 6, "time order"),
        ("WEBVTT\n\nid\n00:01.000 --> 00:02.000\n\nnext", 4, "no text"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n<i> </i>", 3, "no text"),
        ("WEBVTT\n\n00:01.000 00:02.000\nhi", 3, "expected a cue timing line"),
        ("WEBVTT\n\nintro\n00:01.000 - 00:02.000\nhi", 4, "expected a cue timing line"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n\nstray text", 6, "blank lines are not allowed"),
        ("WEBVTT\n00:01.000 --> 00:02.000\nhi", 2, "blank line between the WEBVTT header"),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n00:03.000 --> 00:04.000\nho",
            5,
            "blank line before each new cue",
        ),
        ("WEBVTT\n\nNOTE\ncomment\n00:01.000 --> 00:02.000\nhi", 5, "blank line between the NOTE block"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n\nSTYLE\n::cue {}", 6, "STYLE blocks must come before"),
    ];
    for (input, line, reason) in cases {
        let error = refused(input);
        assert!(error.line == line && error.reason.contains(reason), "{input:?} gave {error}");
    }
}

#[test]
fn refuses_too_many_cues_and_overlong_text() {
    let mut input = String::from("WEBVTT\n\n");
    for index in 0..=MAX_CUES as u64 {
        let (start, end) = (format_timestamp(index), format_timestamp(index + 1));
        input.push_str(&format!("{start} --> {end}\nx\n\n"));
    }
    let error = refused(&input);
    assert!(error.line == 3 + 3 * MAX_CUES && error.reason.contains("more than 20000 cues"), "{error}");
    let long = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{}", "a".repeat(MAX_CUE_TEXT_CHARS + 1));
    assert!(refused(&long).reason.contains("2001 characters long; the limit is 2000"));
    let fits = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n<b>{}</b>", "é".repeat(MAX_CUE_TEXT_CHARS));
    assert_eq!(parse(fits.as_bytes()).map(|cues| cues.len()), Ok(1));
}

#[test]
fn strips_tags_and_decodes_entities() {
    let input = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Ana Lee><c.yellow.bg_blue>a</c> <b>b</b> \
            <00:00:01.500><u>c</u> &lt;d&gt; &amp;amp; x&nbsp;y &copy; &\n<ruby>e<rt>f</rt></ruby></v>\n";
    let cues = parse(input.as_bytes()).unwrap();
    assert_eq!(cues[0].text, "a b c <d> &amp; x\u{a0}y &copy; &\nef");
}

#[test]
fn formats_timestamps_and_clock_times() {
    assert_eq!(format_timestamp(62_345), "00:01:02.345");
    assert_eq!(format_timestamp(360_000_000), "100:00:00.000");
    for ms in [0, 1, 999, 59_999, 62_345, 3_599_999, 3_723_004, 360_000_000, u64::MAX] {
        assert_eq!(parse_timestamp(&format_timestamp(ms)), Ok(ms));
    }
    let clocks = [(0, "0:00"), (999, "0:00"), (62_345, "1:02"), (3_599_999, "59:59"), (3_723_999, "1:02:03")];
    for (ms, expected) in clocks {
        assert_eq!(clock(ms), expected);
    }
    assert_eq!(clock(36_000_000), "10:00:00");
}

#[test]
fn displays_errors_with_the_line_number() {
    let error = VttError { line: 7, reason: "the cue has no text".into() };
    assert_eq!(error.to_string(), "line 7: the cue has no text");
}

#[test]
fn to_vtt_writes_a_clean_file_that_parses_back() {
    let cues = vec![cue(1000, 2500, "Fish & chips <3 -->"), cue(1000, 3_723_004, "two\nlines\u{a0}")];
    let file = to_vtt(&cues);
    assert!(file.starts_with("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nFish &amp; chips &lt;3 --&gt;\n\n"));
    assert_eq!(parse(file.as_bytes()), Ok(cues));
    assert_eq!(
        to_vtt(&[cue(0, 1, "a\r\n\r\nb"), cue(1, 2, " ")]),
        "WEBVTT\n\n00:00:00.000 --> 00:00:00.001\na\nb\n"
    );
}

/// WebVTT-like pieces, separated by `|`, that the property tests glue together at random.
const FRAGMENTS: &str = "WEBVTT|WEBVTT title|\n|\r\n|\r|\n\n|\r\n\r\n|00:01.000|00:00:02.500|\
        01:02:03.004|59:59.999|00:1.5| --> |-->| align:start|NOTE|STYLE|REGION|<v Bob>|</v>|<i>|\
        &amp;|&lt;|&nbsp;|&|<|>|hello|1| |\t|\u{feff}|,|.|:|00:00.000 --> 00:01.000\nhi\n\n|cue-id\n";

/// Random files: fragment soup (half of it signed), or a valid file with fragments spliced in.
fn vtt_like_files() -> impl Strategy<Value = String> {
    let piece = || prop::sample::select(FRAGMENTS.split('|').collect::<Vec<_>>());
    let soup = (any::<bool>(), prop::collection::vec(piece(), 0..60)).prop_map(|(signed, pieces)| {
        format!("{}{}", if signed { "WEBVTT\n\n" } else { "" }, pieces.concat())
    });
    let edits = prop::collection::vec((any::<prop::sample::Index>(), piece()), 0..4);
    let spliced = (cue_lists(), edits).prop_map(|(cues, edits)| {
        let mut file = to_vtt(&cues);
        for (at, piece) in edits {
            let mut position = at.index(file.len() + 1);
            while !file.is_char_boundary(position) {
                position -= 1;
            }
            file.insert_str(position, piece);
        }
        file
    });
    prop_oneof![soup, spliced]
}

/// Valid cue lists in start order, with text that needs escaping.
fn cue_lists() -> impl Strategy<Value = Vec<Cue>> {
    let raw_cue = (0u64..10_000_000, 1u64..100_000, "[a-z&<>]{1,6}( [a-z&<> ]{0,6})?");
    prop::collection::vec(raw_cue, 1..20).prop_map(|raw| {
        let mut cues: Vec<Cue> =
            raw.into_iter().map(|(start, length, text)| cue(start, start + length, &text)).collect();
        cues.sort_by_key(|cue| cue.start_ms);
        cues
    })
}

fn check_invariants(cues: &[Cue]) -> Result<(), TestCaseError> {
    for pair in cues.windows(2) {
        prop_assert!(pair[0].start_ms <= pair[1].start_ms);
    }
    for cue in cues {
        prop_assert!(cue.end_ms > cue.start_ms && !cue.text.is_empty());
    }
    prop_assert_eq!(parse(to_vtt(cues).as_bytes()), Ok(cues.to_vec()));
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(cues) = parse(&bytes) {
            check_invariants(&cues)?;
        }
        let prefixed = [b"WEBVTT\n\n".as_slice(), &bytes].concat();
        if let Ok(cues) = parse(&prefixed) {
            check_invariants(&cues)?;
        }
    }

    #[test]
    fn vtt_like_fragments_never_panic(file in vtt_like_files()) {
        if let Ok(cues) = parse(file.as_bytes()) {
            check_invariants(&cues)?;
        }
    }

    #[test]
    fn well_formed_cues_round_trip(cues in cue_lists()) {
        prop_assert_eq!(parse(to_vtt(&cues).as_bytes()), Ok(cues));
    }
}
