//! The sandboxed Lua state: which libraries a plugin sees, the memory limit, and the instruction
//! budget that stops endless loops wherever they run (coroutines and `pcall` included).
//!
//! Each plugin file gets an environment of its own, built from copies of the safe libraries, so
//! one plugin cannot change what another sees. `io`, `os`, `debug` and `package` are never loaded;
//! `dofile`, `loadfile`, `require`, `warn` and `string.dump` are gone; `load` only takes text.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mlua::{ffi, Function, Lua, LuaOptions, StdLib, Table};

/// The count hook runs every this many VM instructions; the budget is charged in these steps.
const HOOK_EVERY: i32 = 1000;

/// What a stopped rule reports. Also the error value raised inside Lua.
pub(crate) const BUDGET_EXCEEDED: &str = "instruction budget exceeded";

/// Lua states created in this process, for `--lua-stats` and the tests.
static STATES_CREATED: AtomicUsize = AtomicUsize::new(0);

/// How many Lua states this process has created (worker states and the one that validates
/// plugins when the configuration is loaded).
pub fn states_created() -> usize {
    STATES_CREATED.load(Ordering::Relaxed)
}

/// The sandbox limits, from `[lua]` in `ospolint.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes one Lua state may allocate.
    pub memory: usize,
    /// VM instructions (plus the cost of API calls) one rule may spend on one repository.
    pub instructions: u64,
    /// Wall-clock time one rule may spend on one repository: the backstop for work the budget
    /// cannot see, a single VM operation on a string of many megabytes (`..`, `==`), repeated.
    pub time: Duration,
}

pub const DEFAULT_MEMORY_MIB: u64 = 64;
pub const DEFAULT_INSTRUCTIONS: u64 = 10_000_000;
pub const DEFAULT_TIME_SECONDS: u64 = 10;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: (DEFAULT_MEMORY_MIB * 1024 * 1024) as usize,
            instructions: DEFAULT_INSTRUCTIONS,
            time: Duration::from_secs(DEFAULT_TIME_SECONDS),
        }
    }
}

/// The budget of the rule running on this thread. A thread runs one Lua call at a time, so a
/// thread-local is exact, and the raw hook below can reach it from any coroutine.
#[derive(Clone, Copy)]
struct Budget {
    used: u64,
    limit: u64,
    /// When the run is out of time.
    deadline: Option<Instant>,
    /// The run is being stopped, and why: every further instruction raises.
    halt: Option<Halt>,
    /// The memory limit of the run, and the bytes the host holds for it outside the Lua heap
    /// (its pending reports): the two together stay under the limit.
    memory: usize,
    held: usize,
}

thread_local! {
    static BUDGET: Cell<Budget> = const {
        Cell::new(Budget { used: 0, limit: u64::MAX, deadline: None, halt: None, memory: usize::MAX, held: 0 })
    };
}

/// Why the current run is being stopped, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Halt {
    Instructions,
    Memory,
    Time,
}

pub(crate) fn halted() -> Option<Halt> {
    BUDGET.with(Cell::get).halt
}

/// Called by the sandbox's `pcall`, `xpcall` and `coroutine.resume` with the error they caught:
/// running out of memory or instructions is not something a plugin may catch and go on from.
fn is_fatal(error: &mlua::Value) -> bool {
    let out_of_memory = match error {
        mlua::Value::String(s) => s.to_string_lossy().ends_with("not enough memory"),
        mlua::Value::Error(e) => super::host::is_memory_error(e),
        _ => false,
    };
    BUDGET.with(|b| {
        let mut v = b.get();
        if out_of_memory && v.halt.is_none() {
            v.halt = Some(Halt::Memory);
            b.set(v);
        }
        v.halt.is_some()
    })
}

/// Adds `cost` to the run's count and stops the run once the count or the deadline is passed:
/// what halted it, if anything.
fn spend(budget: &Cell<Budget>, cost: u64) -> Option<Halt> {
    let mut v = budget.get();
    v.used = v.used.saturating_add(cost);
    if v.halt.is_none() {
        if v.used > v.limit {
            v.halt = Some(Halt::Instructions);
        } else if v
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            v.halt = Some(Halt::Time);
        }
    }
    budget.set(v);
    v.halt
}

/// Charges work done in Rust on the plugin's behalf (walking the file index, converting a large
/// document) so that API calls in a loop cannot outlast the budget. The deadline is checked here
/// too: between two count hooks a plugin may make a thousand host calls.
pub(crate) fn charge(cost: u64) -> mlua::Result<()> {
    let over = BUDGET.with(|b| spend(b, cost)).is_some();
    if over {
        Err(mlua::Error::RuntimeError(BUDGET_EXCEEDED.to_string()))
    } else {
        Ok(())
    }
}

/// Counts `bytes` the host keeps for the run in progress (a pending report) against its memory
/// limit; checked when the host call returns (see [`host_call`]).
pub(crate) fn hold(bytes: usize) {
    BUDGET.with(|b| {
        let mut v = b.get();
        v.held = v.held.saturating_add(bytes);
        b.set(v);
    });
}

/// The Lua heap the run in progress may use: its limit less what the host holds for it.
fn heap_allowed() -> usize {
    let v = BUDGET.with(Cell::get);
    v.memory.saturating_sub(v.held).max(1)
}

/// Stops the run in progress for memory, with the error Lua raises when an allocation fails.
fn out_of_memory() -> mlua::Error {
    BUDGET.with(|b| {
        let mut v = b.get();
        v.halt.get_or_insert(Halt::Memory);
        b.set(v);
    });
    mlua::Error::MemoryError("not enough memory".to_string())
}

/// Raises the error a rule that spent its budget stops with, from a C function of the sandbox.
///
/// # Safety
/// `state` is the running Lua thread, and no Rust value with a destructor is alive in the
/// calling frames up to Lua: `lua_error` leaves them without unwinding.
pub(crate) unsafe fn raise_budget_exceeded(state: *mut ffi::lua_State) -> std::ffi::c_int {
    ffi::lua_pushlstring(
        state,
        BUDGET_EXCEEDED.as_ptr().cast(),
        BUDGET_EXCEEDED.len(),
    );
    ffi::lua_error(state)
}

/// Charges `cost` from a C function of the sandbox, raising the budget error when it is spent.
///
/// # Safety
/// As for [`raise_budget_exceeded`].
pub(crate) unsafe fn charge_or_raise(state: *mut ffi::lua_State, cost: u64) {
    if charge(cost).is_err() {
        raise_budget_exceeded(state);
    }
}

/// The count hook. It is a raw Lua hook rather than mlua's `set_hook` because mlua ignores its
/// hook in coroutines, and Lua copies a raw hook into every coroutine it creates.
///
/// Once the budget is spent the hook fires on every instruction and raises each time, so a
/// `pcall` that catches the error cannot run a single instruction more: the error climbs to
/// the top however many protected calls are in between.
unsafe extern "C-unwind" fn count_hook(state: *mut ffi::lua_State, _ar: *mut ffi::lua_Debug) {
    let halt = BUDGET
        .try_with(|b| spend(b, HOOK_EVERY as u64))
        .unwrap_or(None);
    let Some(halt) = halt else {
        return;
    };
    // SAFETY: `state` is the running Lua thread handed to the hook. No Rust value with a
    // destructor is alive in this frame, so the non-local exit of `lua_error` skips nothing.
    unsafe {
        ffi::lua_sethook(state, Some(count_hook), ffi::LUA_MASKCOUNT, 1);
        if halt == Halt::Time {
            ffi::lua_pushstring(state, c"time limit exceeded".as_ptr());
            ffi::lua_error(state);
        }
        raise_budget_exceeded(state);
    }
}

/// The main Lua thread of `lua`, where the count hook is set: coroutines copy it from there.
fn main_thread(lua: &Lua) -> mlua::Result<*mut ffi::lua_State> {
    let mut main = std::ptr::null_mut();
    // SAFETY: `exec_raw` hands us the main Lua thread of `lua` (no callback is running); we only
    // keep the pointer, which stays valid as long as `lua` does.
    unsafe { lua.exec_raw::<()>((), |state| main = state)? };
    Ok(main)
}

/// Builds the restricted globals, the `repo` metatable over the host's `repo_methods` and the
/// documents' metatable over `document_field` and `document_methods`, and returns
/// `make_env(name, ospolint)`, `seal(env)`, `run_check(check, name, options)` and that metatable.
const PRELUDE: &str = r#"
local print_line, is_fatal, charge_heap, charge_text, repo_methods, document_field,
  document_methods = ...
local raw_randomseed = math.randomseed
local raw_load, raw_setmetatable, raw_collect = load, setmetatable, collectgarbage
local rawget, rawequal, getmetatable, error, type, pairs, tostring =
  rawget, rawequal, getmetatable, error, type, pairs, tostring
local raw_pcall, raw_xpcall, raw_resume = pcall, xpcall, coroutine.resume

-- Errors caught by a protected call go back to the plugin, except running out of memory or
-- instructions: those go on up, so a rule cannot catch them and loop.
local function pass(ok, ...)
  if not ok and is_fatal((...)) then error((...), 0) end
  return ok, ...
end
pcall = function(f, ...) return pass(raw_pcall(f, ...)) end
-- A message handler runs where the error was raised; for an error raised by the count hook that
-- is inside the hook, where Lua runs no hook, so a handler that loops would loop unmetered. Once
-- a run is being stopped the plugin's handler is not called at all.
xpcall = function(f, handler, ...)
  if type(handler) == "function" then
    local plugin_handler = handler
    handler = function(e)
      if is_fatal(e) then return e end
      return plugin_handler(e)
    end
  end
  return pass(raw_xpcall(f, handler, ...))
end
coroutine.resume = function(co, ...) return pass(raw_resume(co, ...)) end

string.dump = nil
-- Strings share one metatable; hide it so no plugin can reach the real `string` table.
getmetatable("").__metatable = false

local base = {
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = rawset, select = select,
  getmetatable = getmetatable, tonumber = tonumber, tostring = tostring, type = type,
  xpcall = xpcall, _VERSION = _VERSION,
}
-- Finalizers would run at arbitrary points, inside other rules' budgets.
base.setmetatable = function(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: finalizers (__gc) are not available to plugins", 2)
  end
  return raw_setmetatable(t, mt)
end
-- Stopping or retuning the collector would affect every rule sharing the state. A collection
-- is one call but work in proportion to the heap: it is charged so.
base.collectgarbage = function(opt, ...)
  opt = opt or "collect"
  if opt == "collect" or opt == "step" then charge_heap() end
  if opt == "count" or opt == "collect" or opt == "step" or opt == "isrunning" then
    return raw_collect(opt, ...)
  end
  error("collectgarbage: option '" .. tostring(opt) .. "' is not available to plugins", 2)
end

local libs = { string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine }
local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local function make_env(name, ospolint)
  local env = {}
  for k, v in pairs(base) do env[k] = v end
  for k, v in pairs(libs) do env[k] = copy(v) end
  env._G = env
  env.ospolint = copy(ospolint)
  env.print = function(...) print_line(name, ...) end
  env.load = function(chunk, chunkname, mode, chunkenv)
    if mode ~= nil and mode ~= "t" then
      error("load: only text chunks can be loaded (mode 't')", 2)
    end
    if chunkenv == nil then chunkenv = env end
    -- Compiling is charged by the chunk's size; a reader function is called through Lua, where
    -- the hook counts the calls (a C function such as `math.random` as reader would not be).
    if type(chunk) == "string" then
      charge_text(chunk)
    elseif type(chunk) == "function" then
      local read = chunk
      chunk = function() return read() end
    end
    -- `load` returns a reader's error as a value: running out of memory or instructions in the
    -- reader goes on up instead.
    local loaded, message = raw_load(chunk, chunkname, "t", chunkenv)
    if loaded == nil and is_fatal(message) then error(message, 0) end
    return loaded, message
  end
  return env
end

-- After loading, a rule that assigns an undeclared global (a forgotten `local`) fails loudly
-- instead of carrying state from one repository to the next.
local function seal(env)
  raw_setmetatable(env, {
    __newindex = function(_, key)
      error("cannot create global '" .. tostring(key) .. "' while a rule runs: declare it `local`", 2)
    end,
    __metatable = false,
  })
end

-- The `repo` argument of check: a table whose methods call the host's `repo_methods`, which
-- reach the repository of the run in progress. Only the `repo` of that run may call them: one
-- kept from an earlier run (in an upvalue, a coroutine) would otherwise read another repository.
local Repo = {}
Repo.__index = Repo
Repo.__metatable = "repo"
local active
for method, host in pairs(repo_methods) do
  Repo[method] = function(self, ...)
    if rawequal(self, active) then return host(...) end
    if getmetatable(self) == "repo" then
      error("repo:" .. method .. ": this repo belongs to a finished rule run; use the `repo` passed to `check`", 2)
    end
    error("call repo:" .. method .. "(...) with a colon", 2)
  end
end
-- Documents are tables the host makes with their `path`; every other field is built by the host
-- on first read and kept in the table for the rest of the run. The host knows each document
-- of the run in progress, and refuses one kept from an earlier run.
local rawset = rawset
local Document = { __metatable = false }
Document.__index = function(doc, key)
  local method = document_methods[key]
  if method ~= nil then return method end
  local value = document_field(doc, key)
  if value ~= nil then rawset(doc, key, value) end
  return value
end

-- One rule run, in one call from the host: a fresh `repo` and options table, and the same
-- `math.random` sequence whatever ran before on this state.
local function run_check(check, name, options)
  raw_randomseed(0)
  active = raw_setmetatable({ name = name }, Repo)
  return check(active, options or {})
end

return make_env, seal, run_check, Document
"#;

/// A fresh sandboxed state with the limits applied and the helpers to build plugin environments.
pub(crate) struct Sandbox {
    pub lua: Lua,
    /// The main Lua thread of `lua`, for setting the count hook without a protected call.
    main: MainThread,
    make_env: Function,
    seal: Function,
    run_check: Function,
    /// The metatable of documents handed to plugins.
    pub document: Table,
}

/// The main thread of a sandbox's state.
struct MainThread(*mut ffi::lua_State);

// SAFETY: the pointer is the main thread of the sandbox's own `Lua`, which is `Send` (mlua's
// `send` feature): it is used only by whichever thread owns the sandbox, and moves with it.
unsafe impl Send for MainThread {}

impl Sandbox {
    pub fn new(limits: Limits) -> mlua::Result<Sandbox> {
        let libs = StdLib::STRING | StdLib::TABLE | StdLib::MATH | StdLib::UTF8 | StdLib::COROUTINE;
        let lua = Lua::new_with(libs, LuaOptions::new())?;
        STATES_CREATED.fetch_add(1, Ordering::Relaxed);
        let globals = lua.globals();
        for name in ["dofile", "loadfile", "require", "warn", "print"] {
            globals.raw_set(name, mlua::Nil)?;
        }
        // Before the prelude, which copies `string` into every plugin environment.
        let string: Table = globals.get("string")?;
        super::pattern::install(&lua, &string)?;
        super::metered::install(&lua, &string, &globals.get("table")?)?;
        let print_line =
            lua.create_function(|_, (name, args): (String, mlua::Variadic<mlua::Value>)| {
                let parts: Vec<String> = args.iter().map(display_value).collect();
                super::metered::charge_print(parts.iter().map(|p| p.len() + 1).sum())?;
                crate::diagnostic::eprint_line(format_args!("{name}: {}", parts.join("\t")));
                Ok(())
            })?;
        let is_fatal = lua.create_function(|_, error: mlua::Value| Ok(is_fatal(&error)))?;
        let (charge_heap, charge_text) = super::metered::prelude_functions(&lua)?;
        let (document_field, document_methods) = super::api::document_functions(&lua)?;
        let (make_env, seal, run_check, document): (Function, Function, Function, Table) =
            lua.load(PRELUDE).set_name("=ospolint sandbox").call((
                print_line,
                is_fatal,
                charge_heap,
                charge_text,
                super::api::repo_methods(&lua)?,
                document_field,
                document_methods,
            ))?;
        lua.set_memory_limit(limits.memory)?;
        let sandbox = Sandbox {
            main: MainThread(main_thread(&lua)?),
            lua,
            make_env,
            seal,
            run_check,
            document,
        };
        sandbox.start_budget(limits);
        Ok(sandbox)
    }

    /// Starts a fresh budget for one rule run (or one plugin load), and applies the memory limit
    /// of its plugin set: the state holds every set its thread has loaded.
    pub fn start_budget(&self, limits: Limits) {
        // The state was made with memory control, so the limit can always be set.
        let _ = self.lua.set_memory_limit(limits.memory);
        BUDGET.with(|b| {
            b.set(Budget {
                used: 0,
                limit: limits.instructions,
                deadline: Instant::now().checked_add(limits.time),
                halt: None,
                memory: limits.memory,
                held: 0,
            })
        });
        // Setting the hook also restarts its instruction count, so where a run is stopped does
        // not depend on what ran before it (and a stopped run's every-instruction pace is undone).
        // SAFETY: `main` is the main thread of `self.lua`, alive as long as `self`; no Lua code is
        // running on this state between runs, and `lua_sethook` raises no error.
        unsafe {
            ffi::lua_sethook(
                self.main.0,
                Some(count_hook),
                ffi::LUA_MASKCOUNT,
                HOOK_EVERY,
            )
        };
    }

    /// A new environment for the plugin called `name`, with `ospolint` as its API table.
    pub fn env(&self, name: &str, ospolint: &Table) -> mlua::Result<Table> {
        self.make_env.call((name, ospolint))
    }

    pub fn seal(&self, env: &Table) -> mlua::Result<()> {
        self.seal.call(env)
    }

    /// Runs `check` on the repository `name` (whose handle the caller has entered, see
    /// `RepoHandle::enter`); `options` are the rule's options (none: an empty table). It also
    /// restarts `math.random`'s sequence, so every run sees the same one.
    pub fn run_check(
        &self,
        check: &Function,
        name: &str,
        options: Option<Table>,
    ) -> mlua::Result<mlua::Value> {
        self.run_check.call((check, name, options))
    }
}

/// Runs a host function called from Lua (`f` creates every Lua value it returns) with the memory
/// limit lifted. Under a limit, mlua guards each value it creates with a protected call, in case
/// the allocation fails; a repository's files or a document's lines cost dozens of those. What
/// the call made is counted when it returns: a heap past the limit (less what the host holds for
/// the run) after a full collection stops the run as an allocation past the limit would, so a
/// plugin cannot grow past its limit through host calls (700 reads of a 1 MB file).
pub(crate) fn host_call<R>(lua: &Lua, f: impl FnOnce() -> mlua::Result<R>) -> mlua::Result<R> {
    struct Restore<'a>(&'a Lua);
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            // The state was made with memory control, so the limit can always be set.
            let _ = self.0.set_memory_limit(heap_allowed());
        }
    }
    lua.set_memory_limit(0)?;
    let restore = Restore(lua);
    let result = f()?;
    drop(restore);
    let allowed = heap_allowed();
    if lua.used_memory() > allowed {
        // Garbage counts until it is collected; Lua collects it before failing an allocation.
        lua.gc_collect()?;
        if lua.used_memory() > allowed {
            return Err(out_of_memory());
        }
    }
    Ok(result)
}

fn display_value(value: &mlua::Value) -> String {
    match value {
        mlua::Value::String(s) => super::host::scrub(&s.to_string_lossy()),
        mlua::Value::Nil => "nil".to_string(),
        mlua::Value::Boolean(b) => b.to_string(),
        mlua::Value::Integer(i) => i.to_string(),
        mlua::Value::Number(n) => n.to_string(),
        other => other.type_name().to_string(),
    }
}
