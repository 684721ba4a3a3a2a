using System.Globalization;

namespace Emu.Cli;

/// <summary>What the command line asks for besides running a program.</summary>
public enum CliAction
{
    Run,
    Help,
    Version,
    ListCpus,
    ListLogItems,
    BinfmtInstall,
    BinfmtUninstall,
    BinfmtStatus,
}

/// <summary>The -d items.</summary>
[Flags]
public enum LogItems
{
    None = 0,
    InAsm = 1 << 0,
    Op = 1 << 1,
    OpOpt = 1 << 2,
    Exec = 1 << 3,
    Strace = 1 << 4,
    Unimp = 1 << 5,
    Page = 1 << 6,
    OutAsm = 1 << 7,
}

/// <summary>One -E (set, "VAR=value") or -U (unset, "VAR") edit of the guest environment, applied in order.</summary>
// A class: a List over a value type of ours is not precompiled (ReadyToRun) and would be JIT-compiled at every start.
public sealed record EnvEdit(bool Set, string Text);

/// <summary>A -d item's name, flag and help line.</summary>
// A class: a tuple with our enum in it is not precompiled (ReadyToRun) and was JIT-compiled at every start.
public sealed record LogItemName(string Name, LogItems Item, string Help);

/// <summary>Everything the command line and the EMU_*/QEMU_* environment variables say.</summary>
public sealed class CliOptions
{
    public CliAction Action { get; set; } = CliAction.Run;
    public string? SysRoot { get; set; }
    public List<EnvEdit> EnvEdits { get; } = [];
    public string? Argv0 { get; set; }
    public ulong StackSize { get; set; } = Emu.Memory.GuestLayout.DefaultStackSize;
    public bool Strace { get; set; }
    public LogItems Log { get; set; }
    public string? LogFile { get; set; }
    public bool OneInsnPerTb { get; set; }
    public ulong? Seed { get; set; }
    public string Cpu { get; set; } = "max";
    public int? Tier1Threshold { get; set; }
    public bool NoOpt { get; set; }
    /// <summary>-g: TCP port of the GDB stub on 127.0.0.1 (0: any free port, announced on stderr).</summary>
    public int? GdbPort { get; set; }
    /// <summary>binfmt_misc flags for -binfmt-install (see BinfmtRegistration.Flags).</summary>
    public string BinfmtFlags { get; set; } = CommandLineParser.DefaultBinfmtFlags;
    /// <summary>--path: the interpreter to register (default: this executable).</summary>
    public string? BinfmtPath { get; set; }
    /// <summary>--name: the binfmt_misc entry name.</summary>
    public string BinfmtName { get; set; } = BinfmtRegistration.DefaultName;
    /// <summary>The guest program as given, and its arguments (argv[1..]).</summary>
    public string? Program { get; set; }
    public List<string> ProgramArgs { get; } = [];

    /// <summary>
    /// The guest's environment: <paramref name="hostEnvironment"/> ("VAR=value" strings, in order) with the
    /// -E/-U edits applied; a set replaces an existing variable in place, a new one goes at the end.
    /// </summary>
    public List<string> GuestEnvironment(IEnumerable<string> hostEnvironment)
    {
        var env = new List<string>(hostEnvironment);
        static string NameOf(string entry) => entry.IndexOf('=') is var eq and >= 0 ? entry[..eq] : entry;
        foreach (var edit in EnvEdits)
        {
            string name = NameOf(edit.Text);
            int at = env.FindIndex(e => NameOf(e) == name);
            if (!edit.Set)
            {
                env.RemoveAll(e => NameOf(e) == name);
                continue;
            }
            if (at >= 0) env[at] = edit.Text;
            else env.Add(edit.Text);
        }
        return env;
    }
}

/// <summary>A bad option or option value; the message is one line without the program-name prefix.</summary>
public sealed class CommandLineException(string message) : Exception(message);

/// <summary>
/// Parses the qemu-aarch64 compatible command line: options (one or two leading dashes) up to the first
/// non-option or "--", then the program and its arguments. Every option with an environment name can also
/// come from EMU_NAME or QEMU_NAME (EMU_ wins); the command line wins over both.
/// </summary>
public static class CommandLineParser
{
    public const string VersionText = "emu-aarch64 version 0.1.0 (qemu-aarch64 compatible command line)";
    /// <summary>Preserve argv[0] (busybox-style programs need it) and open the interpreter at registration (chroots).</summary>
    public const string DefaultBinfmtFlags = "PF";
    // Loops, not LINQ, on the path every start takes: System.Linq's load costs ~0.6 MB of RSS and a few hundred µs.
    public static readonly string[] CpuModels = CpuModelNames();

    private static string[] CpuModelNames()
    {
        var names = new string[Emu.Cli.CpuModels.All.Length];
        for (int i = 0; i < names.Length; i++) names[i] = Emu.Cli.CpuModels.All[i].Name;
        return names;
    }
    public static readonly LogItemName[] LogItemNames =
    [
        new("in_asm", LogItems.InAsm, "show the guest instructions of each translated block"),
        new("op", LogItems.Op, "show the IR of each translated block"),
        new("op_opt", LogItems.OpOpt, "show the IR after optimization"),
        new("out_asm", LogItems.OutAsm, "show the host (x86-64) code of each block compiled to Tier 1"),
        new("exec", LogItems.Exec, "show each block as it runs"),
        new("strace", LogItems.Strace, "log system calls (like -strace)"),
        new("unimp", LogItems.Unimp, "log unimplemented functionality"),
        new("page", LogItems.Page, "show the guest memory map at start-up and after each change"),
    ];

    private sealed record Option(string[] Names, string? EnvName, bool EmuOnly, string? ArgName, string Help, Action<CliOptions, string> Apply);

    // Options qemu-aarch64 has that we do not implement: named in the error instead of "unknown option".
    private static readonly Dictionary<string, string> Unsupported = new()
    {
        ["B"] = "guest base",
        ["R"] = "reserved address space",
        ["p"] = "page size",
        ["r"] = "uname release",
        ["plugin"] = "TCG plugins",
        ["trace"] = "trace events",
        ["dfilter"] = "log filter",
        ["d-filter"] = "log filter",
    };

    private static readonly Option[] Options =
    [
        new(["h", "help"], null, false, null, "print this help and exit", (o, _) => o.Action = CliAction.Help),
        new(["L"], "LD_PREFIX", false, "path", "look for the ELF interpreter and guest libraries under path (sysroot)", (o, v) => o.SysRoot = v),
        new(["s"], "STACK_SIZE", false, "size", "stack size in bytes; k, M, G suffixes allowed (default 8M)", (o, v) => o.StackSize = ParseSize(v)),
        new(["cpu"], "CPU", false, "model", "CPU model: max, cortex-a53, cortex-a57, any (-cpu help lists them)", SetCpu),
        new(["E"], "SET_ENV", false, "var=value", "set a guest environment variable (comma-separated list allowed, repeatable)", AddSetEnv),
        new(["U"], "UNSET_ENV", false, "var", "remove a variable from the guest environment (comma-separated list allowed)", AddUnsetEnv),
        new(["0"], "ARGV0", false, "argv0", "pass argv0 as the program's argv[0]", (o, v) => o.Argv0 = v),
        new(["d"], "LOG", false, "item[,...]", "enable logging of items (-d help lists them)", SetLog),
        new(["D"], "LOG_FILENAME", false, "logfile", "write -d (and -strace) output to logfile (%d becomes the pid)", (o, v) => o.LogFile = v),
        new(["strace"], "STRACE", false, null, "log the system calls the program makes", (o, _) => o.Strace = true),
        new(["one-insn-per-tb", "singlestep"], "ONE_INSN_PER_TB", false, null, "translate one guest instruction per block", (o, _) => o.OneInsnPerTb = true),
        new(["g"], "GDB", false, "port", "wait for gdb on 127.0.0.1:port before the first instruction (target remote :port)", SetGdbPort),
        new(["seed"], "RAND_SEED", false, "number", "seed the guest's random numbers (AT_RANDOM) for reproducible runs", (o, v) => o.Seed = ParseUnsigned(v, "seed")),
        new(["tier1-threshold"], "TIER1_THRESHOLD", true, "n", "runs of a block in the interpreter before it is compiled (0: at once, -1: never)", (o, v) => o.Tier1Threshold = ParseInt(v)),
        new(["no-opt"], "NO_OPT", true, null, "do not optimize the IR", (o, _) => o.NoOpt = true),
        new(["version"], null, false, null, "print the version and exit", (o, _) => o.Action = CliAction.Version),
        new(["binfmt"], null, false, "install|uninstall|status", "register with binfmt_misc so AArch64 ELF files run directly (root), remove, or show the entry", SetBinfmt),
        new(["flags", "binfmt-flags"], null, false, "flags", $"binfmt_misc flags for --binfmt install, from POCF (default {DefaultBinfmtFlags}; see below)", SetBinfmtFlags),
        new(["path"], null, false, "file", "interpreter for --binfmt install (default: this executable; with F use the static launcher, scripts/build --binfmt-static)", (o, v) => o.BinfmtPath = v),
        new(["name"], null, false, "name", $"binfmt_misc entry name for --binfmt (default {BinfmtRegistration.DefaultName})", SetBinfmtName),
        new(["binfmt-install"], null, false, null, "same as --binfmt install", (o, _) => o.Action = CliAction.BinfmtInstall),
        new(["binfmt-uninstall"], null, false, null, "same as --binfmt uninstall", (o, _) => o.Action = CliAction.BinfmtUninstall),
        new(["binfmt-status"], null, false, null, "same as --binfmt status", (o, _) => o.Action = CliAction.BinfmtStatus),
    ];

    /// <summary>Parses <paramref name="args"/> with <paramref name="environment"/> supplying defaults. Throws <see cref="CommandLineException"/>.</summary>
    public static CliOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var o = new CliOptions();
        foreach (var opt in Options)
        {
            if (opt.EnvName == null) continue;
            string emuName = "EMU_" + opt.EnvName, qemuName = "QEMU_" + opt.EnvName;
            string? name = environment.ContainsKey(emuName) ? emuName : !opt.EmuOnly && environment.ContainsKey(qemuName) ? qemuName : null;
            if (name == null) continue;
            string value = environment[name];
            // A flag variable is on when set to anything but an explicit "off" value.
            if (opt.ArgName == null && value.Trim().ToLowerInvariant() is "0" or "no" or "false" or "off") continue;
            Apply(opt, o, value, name);
        }

        int i = 0;
        while (i < args.Count)
        {
            string arg = args[i];
            if (arg.Length == 0 || arg[0] != '-') break;
            i++;
            string name = arg[1..];
            if (name == "-") break;
            if (name.StartsWith('-')) name = name[1..];
            var opt = Array.Find(Options, x => Array.IndexOf(x.Names, name) >= 0);
            if (opt == null)
            {
                if (Unsupported.TryGetValue(name, out var what)) throw new CommandLineException($"option -{name} ({what}) is not supported");
                throw new CommandLineException($"unknown option '{arg}' (try -help)");
            }
            string value = "";
            if (opt.ArgName != null)
            {
                if (i >= args.Count) throw new CommandLineException($"option '{arg}' needs an argument ({opt.ArgName})");
                value = args[i++];
            }
            Apply(opt, o, value, "-" + name);
            if (o.Action is CliAction.Help or CliAction.Version) return o;
        }
        if (o.Action != CliAction.Run)
        {
            if (i < args.Count) throw new CommandLineException($"unexpected argument '{args[i]}' after the options");
            return o;
        }
        if (i >= args.Count) throw new CommandLineException("no program given; usage: emu-aarch64 [options] program [arguments...] (try -help)");
        o.Program = args[i++];
        for (; i < args.Count; i++) o.ProgramArgs.Add(args[i]);
        return o;
    }

    private static void Apply(Option opt, CliOptions o, string value, string source)
    {
        try
        {
            opt.Apply(o, value);
        }
        catch (CommandLineException e)
        {
            throw new CommandLineException($"{source}: {e.Message}");
        }
    }

    private static void SetCpu(CliOptions o, string v)
    {
        if (v is "help" or "?") o.Action = CliAction.ListCpus;
        else if (Array.IndexOf(CpuModels, v) >= 0) o.Cpu = v;
        else throw new CommandLineException($"unknown CPU model '{v}' (valid: {string.Join(", ", CpuModels)})");
    }

    private static void SetGdbPort(CliOptions o, string v)
    {
        int port = ParseInt(v);
        if (port is < 0 or > 65535) throw new CommandLineException($"invalid port '{v}'");
        o.GdbPort = port;
    }

    private static void SetBinfmt(CliOptions o, string v) => o.Action = v switch
    {
        "install" => CliAction.BinfmtInstall,
        "uninstall" => CliAction.BinfmtUninstall,
        "status" => CliAction.BinfmtStatus,
        _ => throw new CommandLineException($"unknown --binfmt action '{v}' (valid: install, uninstall, status)"),
    };

    private static void SetBinfmtFlags(CliOptions o, string v)
    {
        if (BinfmtRegistration.CheckFlags(v) is { } err) throw new CommandLineException(err);
        o.BinfmtFlags = v;
    }

    private static void SetBinfmtName(CliOptions o, string v)
    {
        // The kernel takes the name as a file name in binfmt_misc and ':' separates the register fields.
        if (v.Length == 0 || v.Contains('/') || v.Contains(':') || v is "." or ".." or "register" or "status")
            throw new CommandLineException($"invalid binfmt_misc entry name '{v}'");
        o.BinfmtName = v;
    }

    private static void SetLog(CliOptions o, string v)
    {
        var items = LogItems.None;
        foreach (var part in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part is "help" or "?")
            {
                o.Action = CliAction.ListLogItems;
                return;
            }
            int k = Array.FindIndex(LogItemNames, x => x.Name == part);
            if (k < 0) throw new CommandLineException($"unknown log item '{part}' (valid: {string.Join(", ", LogItemNames.Select(x => x.Name))})");
            items |= LogItemNames[k].Item;
        }
        o.Log = items;
    }

    private static void AddSetEnv(CliOptions o, string v)
    {
        foreach (var part in v.Split(','))
        {
            if (part.IndexOf('=') <= 0) throw new CommandLineException($"expected var=value, got '{part}'");
            o.EnvEdits.Add(new EnvEdit(true, part));
        }
    }

    private static void AddUnsetEnv(CliOptions o, string v)
    {
        foreach (var part in v.Split(','))
        {
            if (part.Length == 0 || part.Contains('=')) throw new CommandLineException($"expected a variable name, got '{part}'");
            o.EnvEdits.Add(new EnvEdit(false, part));
        }
    }

    /// <summary>The largest -s we accept (the stack must leave room for the rest of the guest space).</summary>
    public const ulong MaxStackSize = 64UL << 30;

    /// <summary>"8M", "512k", "0x100000", "1G": a byte count (k/K = KiB, m/M = MiB, g/G = GiB).</summary>
    public static ulong ParseSize(string text)
    {
        string t = text.Trim();
        int shift = 0;
        if (t.Length > 0)
        {
            switch (t[^1])
            {
                case 'k' or 'K': shift = 10; break;
                case 'm' or 'M': shift = 20; break;
                case 'g' or 'G': shift = 30; break;
            }
            if (shift != 0) t = t[..^1];
        }
        ulong n = ParseUnsigned(t, "size");
        if (n == 0) throw new CommandLineException($"invalid size '{text}' (must be more than 0)");
        if (n > MaxStackSize >> shift) throw new CommandLineException($"size '{text}' is too large (at most {MaxStackSize >> 30}G)");
        return n << shift;
    }

    private static ulong ParseUnsigned(string text, string what)
    {
        string t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong n)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        if (!ok) throw new CommandLineException($"invalid {what} '{text}'");
        return n;
    }

    private static int ParseInt(string text)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
            throw new CommandLineException($"invalid number '{text}'");
        return n;
    }

    public static string Usage()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("usage: emu-aarch64 [options] program [arguments...]");
        sb.AppendLine("Runs a Linux AArch64 program on this host (qemu-aarch64 compatible command line).");
        sb.AppendLine();
        sb.AppendLine("Options (one or two leading dashes; '--' ends the options):");
        foreach (var opt in Options)
        {
            string names = string.Join(", ", opt.Names.Select(n => "-" + n)) + (opt.ArgName != null ? " " + opt.ArgName : "");
            string env = opt.EnvName == null ? "" : opt.EmuOnly ? "EMU_" + opt.EnvName : "QEMU_" + opt.EnvName;
            sb.Append("  ").Append(names.PadRight(30)).Append(' ').Append(env.PadRight(21)).Append(' ').AppendLine(opt.Help);
        }
        sb.AppendLine();
        sb.AppendLine("binfmt_misc flags:");
        foreach (var (flag, meaning) in BinfmtRegistration.Flags) sb.Append("  ").Append(flag).Append("  ").AppendLine(meaning);
        sb.AppendLine("  e.g. emu-aarch64 --binfmt install --flags PF --path artifacts/binfmt-static/emu-aarch64 --name emu-aarch64");
        sb.AppendLine("  With F register the static launcher (scripts/build --binfmt-static): it carries the self-contained");
        sb.AppendLine("  single-file build (scripts/build --single-file) and the x86-64 ld.so and libraries it needs, and extracts");
        sb.AppendLine("  them once into $EMU_EXTRACT_DIR, else /dev/shm, else /tmp inside the root (about 100 MB per uid), so a");
        sb.AppendLine("  chroot or container needs no host file; it needs /proc mounted. See docs/binfmt.md.");
        sb.AppendLine();
        sb.AppendLine("Each option also comes from the environment variable shown (EMU_ may replace QEMU_; EMU_ wins);");
        sb.AppendLine("the command line wins over both. EMU_DEBUG=1 prints internal errors in full.");
        sb.AppendLine("The guest environment is this environment with the -E/-U edits applied.");
        return sb.ToString();
    }

    public static string LogItemsHelp()
    {
        var sb = new System.Text.StringBuilder("Log items (comma-separated) for -d:\n");
        foreach (var (name, _, help) in LogItemNames) sb.Append("  ").Append(name.PadRight(8)).Append(' ').AppendLine(help);
        return sb.ToString();
    }

    public static string CpuHelp() => "Available CPUs:\n" + string.Concat(Emu.Cli.CpuModels.All.Select(c => $"  {c.Name,-12} {c.Description}\n"));
}
