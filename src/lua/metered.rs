//! Charges for the C library functions whose loops the count hook cannot see.
//!
//! The hook counts VM instructions; a C function is one instruction however long it loops.
//! `table.insert(t, 1, v)` on a table whose `__len` says 2^62 shifts that many (nil) elements
//! without allocating, and `string.rep("", 1 << 62)` loops as long. Each wrapper here works out
//! how many iterations the C function is about to run, as the C function will, charges them to
//! the budget, and then runs the C function itself in the same call frame (so its argument
//! errors still name the function the plugin called). The pattern functions are in `pattern.rs`.

use std::ffi::c_int;

use mlua::{ffi, Lua, Table};

use super::sandbox::{charge, charge_or_raise};

/// Bytes built or scanned per budget instruction, the rate `api.rs` charges for text.
const BYTES_PER_INSTRUCTION: u64 = 64;

/// Budget instructions per KiB of heap for a full collection: it visits every live object, about
/// one per 64 bytes, and a visit costs about what a VM instruction does.
const GC_INSTRUCTIONS_PER_KIB: u64 = 16;

/// Lua's limit on the size of a `string.rep` result (`MAXSIZE` in lstrlib.c): beyond it the C
/// function fails at once, and its error is the one the plugin should see.
const MAX_REP_SIZE: u64 = i32::MAX as u64;

/// `LUAI_MAXSTACK`: `table.unpack` of more values fails at once.
const MAX_STACK: u64 = 1_000_000;

/// Runs the C function this wrapper holds as its upvalue, in this call frame.
unsafe fn delegate(state: *mut ffi::lua_State) -> c_int {
    match ffi::lua_tocfunction(state, ffi::lua_upvalueindex(1)) {
        Some(original) => original(state),
        None => ffi::luaL_error(state, c"metered function without its original".as_ptr()),
    }
}

/// Elements from `first` to `last`, 0 when the range is empty.
fn span(first: ffi::lua_Integer, last: ffi::lua_Integer) -> u64 {
    if last < first {
        0
    } else {
        (last as i128 - first as i128 + 1).min(u64::MAX as i128) as u64
    }
}

/// `#t` as the table functions compute it (honouring `__len`), or `None` if `t` is not a table
/// (the C function then reports the error, or works on the value's metatable within bounds).
unsafe fn table_len(state: *mut ffi::lua_State, arg: c_int) -> Option<ffi::lua_Integer> {
    (ffi::lua_type(state, arg) == ffi::LUA_TTABLE).then(|| ffi::luaL_len(state, arg))
}

/// `string.rep(s, n [, sep])`: charged by the size of the result; with nothing to repeat it
/// returns "" at once instead of looping `n` times.
unsafe extern "C-unwind" fn rep(state: *mut ffi::lua_State) -> c_int {
    let (mut len, mut sep_len) = (0, 0);
    ffi::luaL_checklstring(state, 1, &mut len);
    let n = ffi::luaL_checkinteger(state, 2);
    ffi::luaL_optlstring(state, 3, c"".as_ptr(), &mut sep_len);
    if n > 0 {
        if len + sep_len == 0 {
            ffi::lua_pushlstring(state, c"".as_ptr(), 0);
            return 1;
        }
        let total = ((len + sep_len) as u64).saturating_mul(n as u64);
        if total <= MAX_REP_SIZE {
            charge_or_raise(state, total / BYTES_PER_INSTRUCTION);
        }
    }
    delegate(state)
}

/// `table.insert(t, pos, v)` moves the elements from `pos` to `#t` up one.
unsafe extern "C-unwind" fn insert(state: *mut ffi::lua_State) -> c_int {
    if ffi::lua_gettop(state) == 3 {
        if let Some(len) = table_len(state, 1) {
            let mut is_integer = 0;
            let pos = ffi::lua_tointegerx(state, 2, &mut is_integer);
            if is_integer != 0 && pos >= 1 {
                charge_or_raise(state, span(pos, len));
            }
        }
    }
    delegate(state)
}

/// `table.remove(t [, pos])` moves the elements after `pos` down one.
unsafe extern "C-unwind" fn remove(state: *mut ffi::lua_State) -> c_int {
    if let Some(len) = table_len(state, 1) {
        let mut is_integer = 0;
        let pos = ffi::lua_tointegerx(state, 2, &mut is_integer);
        if is_integer != 0 && pos >= 1 {
            charge_or_raise(state, span(pos + 1, len));
        }
    }
    delegate(state)
}

/// `table.move(a1, f, e, t [, a2])` copies `e - f + 1` elements.
unsafe extern "C-unwind" fn move_(state: *mut ffi::lua_State) -> c_int {
    // The C function checks these three first, in this order, with these same calls.
    let first = ffi::luaL_checkinteger(state, 2);
    let last = ffi::luaL_checkinteger(state, 3);
    let to = ffi::luaL_checkinteger(state, 4);
    let destination = if ffi::lua_isnoneornil(state, 5) != 0 {
        1
    } else {
        5
    };
    let tables = ffi::lua_type(state, 1) == ffi::LUA_TTABLE
        && ffi::lua_type(state, destination) == ffi::LUA_TTABLE;
    // Ranges the C function refuses (and its errors) are left to it.
    let count = span(first, last);
    let valid = first > 0 || last < ffi::lua_Integer::MAX + first;
    if tables && count > 0 && valid && to as i128 <= i64::MAX as i128 - count as i128 + 1 {
        charge_or_raise(state, count);
    }
    delegate(state)
}

/// `table.concat(t [, sep [, i [, j]]])` visits the elements from `i` to `j`, and copies their
/// text into its result.
unsafe extern "C-unwind" fn concat(state: *mut ffi::lua_State) -> c_int {
    if let Some(len) = table_len(state, 1) {
        ffi::luaL_optlstring(state, 2, c"".as_ptr(), std::ptr::null_mut());
        let first = ffi::luaL_optinteger(state, 3, 1);
        let last = ffi::luaL_optinteger(state, 4, len);
        charge_or_raise(state, span(first, last));
    }
    let results = delegate(state);
    charge_results(state, results)
}

/// `table.unpack(t [, i [, j]])` pushes the elements from `i` to `j`.
unsafe extern "C-unwind" fn unpack(state: *mut ffi::lua_State) -> c_int {
    let first = ffi::luaL_optinteger(state, 2, 1);
    let last = if ffi::lua_isnoneornil(state, 3) != 0 {
        ffi::luaL_len(state, 1)
    } else {
        ffi::luaL_checkinteger(state, 3)
    };
    // Beyond the stack's size the C function fails before pushing anything.
    charge_or_raise(state, span(first, last).min(MAX_STACK));
    delegate(state)
}

/// `table.sort(t [, comp])` compares about `n log2 n` times; a comparison function is metered
/// by the hook, the default comparison is not.
unsafe extern "C-unwind" fn sort(state: *mut ffi::lua_State) -> c_int {
    if let Some(len) = table_len(state, 1) {
        // Lua refuses arrays of `INT_MAX` elements or more before sorting anything.
        if (2..i32::MAX as ffi::lua_Integer).contains(&len) {
            let n = len as u64;
            charge_or_raise(state, n * u64::from(n.ilog2() + 1));
        }
    }
    delegate(state)
}

/// `charge_heap()`, for the sandbox's `collectgarbage("collect"/"step")`: charges a collection
/// of the whole heap (a step may finish a cycle).
unsafe extern "C-unwind" fn charge_heap(state: *mut ffi::lua_State) -> c_int {
    let kib = ffi::lua_gc(state, ffi::LUA_GCCOUNT, 0).max(0) as u64;
    charge_or_raise(state, kib * GC_INSTRUCTIONS_PER_KIB + 1);
    0
}

/// `charge_text(s)`, for the sandbox's `load`: compiling is linear in the chunk's size.
unsafe extern "C-unwind" fn charge_text(state: *mut ffi::lua_State) -> c_int {
    let mut len = 0;
    ffi::luaL_checklstring(state, 1, &mut len);
    charge_or_raise(state, len as u64 / BYTES_PER_INSTRUCTION + 1);
    0
}

/// Charges `print` one instruction per byte it writes: output is a debugging aid, and this
/// bounds what one rule run can write to about as many bytes as its instruction limit.
pub(crate) fn charge_print(bytes: usize) -> mlua::Result<()> {
    charge(bytes as u64 + 1)
}

/// Budget instructions for `bytes` of text.
fn text_cost(bytes: usize) -> u64 {
    bytes as u64 / BYTES_PER_INSTRUCTION + 1
}

/// Functions whose work is in proportion to what they return (`string.sub`, `string.upper`,
/// `string.format`, `table.concat`, `string.byte`, ...): the C function runs, then its results
/// are charged, strings by their size and other values one each. One call is bounded by the
/// memory limit; what the charge stops is calling it again and again.
unsafe extern "C-unwind" fn by_result(state: *mut ffi::lua_State) -> c_int {
    let results = delegate(state);
    charge_results(state, results)
}

/// Charges the `results` values on top of the stack (see [`by_result`]) and returns their count.
unsafe fn charge_results(state: *mut ffi::lua_State, results: c_int) -> c_int {
    let top = ffi::lua_gettop(state);
    let mut cost = 0;
    for i in (top - results + 1)..=top {
        cost += if ffi::lua_type(state, i) == ffi::LUA_TSTRING {
            let mut len = 0;
            ffi::lua_tolstring(state, i, &mut len);
            text_cost(len)
        } else {
            1
        };
    }
    charge_or_raise(state, cost);
    results
}

/// `string.format`, metered by its result, without `%p`: a value's address differs between
/// runs, and output must not (see `host::scrub` for the addresses `tostring` and `%s` write).
unsafe extern "C-unwind" fn format(state: *mut ffi::lua_State) -> c_int {
    let mut len = 0;
    let text = ffi::luaL_checklstring(state, 1, &mut len);
    // SAFETY: Lua keeps the string alive while it is on the stack, for this whole call.
    let bytes = std::slice::from_raw_parts(text.cast::<u8>(), len);
    if writes_address(bytes) {
        return ffi::luaL_error(
            state,
            c"string.format: '%%p' is not available to plugins (an address differs between runs)"
                .as_ptr(),
        );
    }
    by_result(state)
}

/// Whether a format string has a `%p` conversion: `%`, then flags, width and precision, then
/// `p`; `%%` is a literal percent sign.
fn writes_address(format: &[u8]) -> bool {
    let mut i = 0;
    while i < format.len() {
        if format[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        if format.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        while format
            .get(i)
            .is_some_and(|c| b"-+ #0.".contains(c) || c.is_ascii_digit())
        {
            i += 1;
        }
        if format.get(i) == Some(&b'p') {
            return true;
        }
    }
    false
}

/// Functions that scan their string arguments and return little (`tonumber`, `rawequal`):
/// charged by the size of those arguments before they run.
unsafe extern "C-unwind" fn by_input(state: *mut ffi::lua_State) -> c_int {
    let mut cost = 1;
    for i in 1..=ffi::lua_gettop(state) {
        if ffi::lua_type(state, i) == ffi::LUA_TSTRING {
            let mut len = 0;
            ffi::lua_tolstring(state, i, &mut len);
            cost += text_cost(len);
        }
    }
    charge_or_raise(state, cost);
    delegate(state)
}

/// A position as Lua's string functions read it (`posrelat`): negative from the end.
fn position(pos: ffi::lua_Integer, len: usize) -> u64 {
    if pos >= 0 {
        pos as u64
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as u64 - pos.unsigned_abs() + 1
    }
}

/// `utf8.len(s [, i [, j]])` decodes the bytes from `i` to `j`.
unsafe extern "C-unwind" fn utf8_len(state: *mut ffi::lua_State) -> c_int {
    let mut len = 0;
    ffi::luaL_checklstring(state, 1, &mut len);
    let first = position(ffi::luaL_optinteger(state, 2, 1), len);
    let last = position(ffi::luaL_optinteger(state, 3, -1), len).min(len as u64);
    charge_or_raise(state, text_cost(last.saturating_sub(first) as usize));
    delegate(state)
}

/// `utf8.offset(s, n [, i])` steps over `n` characters of at most 4 bytes each.
unsafe extern "C-unwind" fn utf8_offset(state: *mut ffi::lua_State) -> c_int {
    let mut len = 0;
    ffi::luaL_checklstring(state, 1, &mut len);
    let n = ffi::luaL_checkinteger(state, 2);
    let bytes = n.unsigned_abs().saturating_mul(4).min(len as u64);
    charge_or_raise(state, text_cost(bytes as usize));
    delegate(state)
}

/// Wraps the C functions of the libraries that loop over their input in their metered versions.
/// The pattern functions are in `pattern.rs`; `string.len`, `math` and the rest are constant-time.
pub(crate) fn install(lua: &Lua, string: &Table, table: &Table) -> mlua::Result<()> {
    let globals = lua.globals();
    let utf8: Table = globals.get("utf8")?;
    let wrappers: [(&Table, &str, ffi::lua_CFunction); 22] = [
        (string, "rep", rep),
        (table, "insert", insert),
        (table, "remove", remove),
        (table, "move", move_),
        (table, "concat", concat),
        (table, "unpack", unpack),
        (table, "sort", sort),
        (string, "sub", by_result),
        (string, "upper", by_result),
        (string, "lower", by_result),
        (string, "reverse", by_result),
        (string, "format", format),
        (string, "byte", by_result),
        (string, "char", by_result),
        (string, "pack", by_result),
        (string, "unpack", by_result),
        (&utf8, "codepoint", by_result),
        (&utf8, "len", utf8_len),
        (&utf8, "offset", utf8_offset),
        (&utf8, "char", by_result),
        (&globals, "tonumber", by_input),
        (&globals, "rawequal", by_input),
    ];
    for (library, name, wrapper) in wrappers {
        let original: mlua::Function = library.raw_get(name)?;
        // SAFETY: `exec_raw` pushes `original` and leaves the wrapper, a C closure holding it as
        // its only upvalue, on the stack; the wrappers follow the Lua C API protocol.
        let metered: mlua::Function = unsafe {
            lua.exec_raw(original, |state| {
                ffi::lua_pushcclosure(state, wrapper, 1);
            })?
        };
        library.raw_set(name, metered)?;
    }
    Ok(())
}

/// The C functions the sandbox prelude uses: `charge_heap` and `charge_text`.
pub(crate) fn prelude_functions(lua: &Lua) -> mlua::Result<(mlua::Function, mlua::Function)> {
    // SAFETY: both follow the Lua C API protocol.
    unsafe {
        Ok((
            lua.create_c_function(charge_heap)?,
            lua.create_c_function(charge_text)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use mlua::Lua;

    use super::super::sandbox::{Limits, Sandbox};

    #[test]
    fn a_pointer_conversion_is_told_from_a_literal_percent() {
        use super::writes_address;
        assert!(writes_address(b"%p"));
        assert!(writes_address(b"at %-12p now"));
        assert!(!writes_address(b"100%% pure, %s"));
        assert!(!writes_address(b"%%p %d"));
        assert!(!writes_address(b"ends with %"));
    }

    /// What running `code` gives: its result as text, or its error message.
    fn outcome(lua: &Lua, code: &str) -> String {
        match lua.load(code).eval::<mlua::MultiValue>() {
            Ok(values) => values
                .iter()
                .map(|v| v.to_string().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn wrapped_functions_behave_like_lua() {
        let c_lua = Lua::new();
        let ours = Lua::new();
        let globals = ours.globals();
        super::install(
            &ours,
            &globals.get("string").unwrap(),
            &globals.get("table").unwrap(),
        )
        .unwrap();
        let cases = [
            r#"return string.rep("ab", 3, ","), string.rep("", 5), string.rep("", 5, ""), string.rep("x", 0)"#,
            r#"return string.rep(12, 2), ("x"):rep(-1), string.rep("x", 2.0)"#,
            r#"return pcall(string.rep)"#,
            r#"return pcall(string.rep, "", 1.5)"#,
            r#"return pcall(string.rep, "x", 1 << 40)"#,
            r#"return pcall(string.rep, "", 2, {})"#,
            r#"local t = {1, 2, 3} table.insert(t, 1, 0) table.insert(t, 9) return table.concat(t, ",")"#,
            r#"return pcall(table.insert, {1}, 5, 0)"#,
            r#"return pcall(table.insert, {1}, 1, 2, 3)"#,
            r#"return pcall(table.insert, nil, 1)"#,
            r#"return pcall(table.insert, {}, "x", 1)"#,
            r#"local t = {1, 2, 3} return table.remove(t, 1), table.remove(t), #t, table.remove({}), table.remove({}, 0)"#,
            r#"return pcall(table.remove, {1, 2}, 7)"#,
            r#"return pcall(table.remove, "abc")"#,
            r#"return table.concat(table.move({1, 2, 3}, 1, 3, 2), ",")"#,
            r#"return table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), ","), #table.move({}, 5, 1, 1)"#,
            r#"return pcall(table.move, {}, 1, 2)"#,
            r#"return pcall(table.move, 1, 1, 2, 1)"#,
            r#"return pcall(table.move, {}, -1, math.maxinteger, 1)"#,
            r#"return pcall(table.move, {}, 1, 2, math.maxinteger)"#,
            r#"return table.concat({1, "a", 2.5}, "-"), table.concat({}, "x"), table.concat({1, 2, 3}, "", 2, 3)"#,
            r#"return pcall(table.concat, {1, {}, 3})"#,
            r#"return pcall(table.concat, 5)"#,
            r#"return table.unpack({1, 2, 3}), table.unpack({1, 2, 3}, 2), table.unpack({1, 2}, 3, 2)"#,
            r#"return pcall(table.unpack, {}, 1, 1e7)"#,
            r#"return pcall(table.unpack, {}, 1, 2^62)"#,
            r#"return pcall(table.unpack, 5)"#,
            r#"local t = {3, 1, 2} table.sort(t) local u = {"b", "a"} table.sort(u, function(a, b) return a > b end) return table.concat(t), table.concat(u)"#,
            r#"return pcall(table.sort, {3, "a", 1})"#,
            r#"return pcall(table.sort, setmetatable({}, {__len = function() return 1 << 40 end}))"#,
            r#"local calls = 0 local t = setmetatable({}, {__len = function() calls = calls + 1 return 2 end}) table.insert(t, 1, "x") return rawget(t, 1), rawget(t, 2)"#,
        ];
        for code in cases {
            assert_eq!(outcome(&c_lua, code), outcome(&ours, code), "{code}");
        }
    }

    #[test]
    fn loops_in_c_functions_are_charged() {
        let sandbox = Sandbox::new(Limits::default()).unwrap();
        let huge = r#"local t = setmetatable({}, {__len = function() return 1 << 40 end, __index = tostring})"#;
        for call in [
            "table.insert(t, 1, 0)",
            "table.remove(t, 1)",
            "table.move(t, 1, 1 << 40, 2)",
            "table.concat(t)",
            "for _ = 1, 3 do table.unpack(t, 1, 500000) end",
            "string.rep('x', 1 << 30)",
            "local heap = string.rep('x', 1 << 20) for _ = 1, 1000 do collectgarbage('collect') end",
            "load(string.rep(' ', 1 << 26))",
            // Charged before anything is written.
            "print(string.rep('x', 1 << 21))",
        ] {
            sandbox.start_budget(Limits {
                    instructions: 1_000_000,
                    ..Limits::default()
                },
            );
            let env: mlua::Table = sandbox.env("test", &sandbox.lua.create_table().unwrap()).unwrap();
            let code = format!("{huge} {call}");
            let result = sandbox.lua.load(code.as_str()).set_environment(env).exec();
            let error = result.expect_err(call).to_string();
            assert!(error.contains(super::super::sandbox::BUDGET_EXCEEDED), "{call}: {error}");
        }
    }
}
