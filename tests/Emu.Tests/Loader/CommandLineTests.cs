using Emu.Cli;

namespace Emu.Tests.Loader;

public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string> NoEnv = [];

    private static CliOptions Parse(params string[] args) => CommandLineParser.Parse(args, NoEnv);

    private static CliOptions ParseWithEnv(Dictionary<string, string> env, params string[] args) => CommandLineParser.Parse(args, env);

    [Fact]
    public void ProgramAndArguments_DefaultsOtherwise()
    {
        var o = Parse("./prog", "-L", "x", "--", "y");
        Assert.Equal(CliAction.Run, o.Action);
        Assert.Equal("./prog", o.Program);
        // Everything after the program belongs to the program, options included.
        Assert.Equal(["-L", "x", "--", "y"], o.ProgramArgs);
        Assert.Null(o.SysRoot);
        Assert.Equal(8UL << 20, o.StackSize);
        Assert.False(o.Strace);
        Assert.Equal(LogItems.None, o.Log);
        Assert.Null(o.Tier1Threshold);
        Assert.False(o.NoOpt);
        Assert.False(o.OneInsnPerTb);
        Assert.Null(o.Seed);
        Assert.Equal("max", o.Cpu);
    }

    [Fact]
    public void AllOptions_Parsed()
    {
        var o = Parse("-L", "/sys/root", "-E", "A=1,B=2", "-U", "C", "-0", "name", "-s", "16M", "-strace", "-d", "in_asm,exec,page",
            "-D", "/tmp/log", "-one-insn-per-tb", "-seed", "0x10", "-cpu", "cortex-a57", "-tier1-threshold", "-1", "-no-opt", "prog", "arg");
        Assert.Equal("/sys/root", o.SysRoot);
        Assert.Equal([new EnvEdit(true, "A=1"), new EnvEdit(true, "B=2"), new EnvEdit(false, "C")], o.EnvEdits);
        Assert.Equal("name", o.Argv0);
        Assert.Equal(16UL << 20, o.StackSize);
        Assert.True(o.Strace);
        Assert.Equal(LogItems.InAsm | LogItems.Exec | LogItems.Page, o.Log);
        Assert.Equal("/tmp/log", o.LogFile);
        Assert.True(o.OneInsnPerTb);
        Assert.Equal(16UL, o.Seed);
        Assert.Equal("cortex-a57", o.Cpu);
        Assert.Equal(-1, o.Tier1Threshold);
        Assert.True(o.NoOpt);
        Assert.Equal("prog", o.Program);
        Assert.Equal(["arg"], o.ProgramArgs);
    }

    [Fact]
    public void DoubleDashOptionsAndDoubleDashTerminator()
    {
        var o = Parse("--L", "/r", "--strace", "--", "-prog");
        Assert.Equal("/r", o.SysRoot);
        Assert.True(o.Strace);
        Assert.Equal("-prog", o.Program);
    }

    [Theory]
    [InlineData("4096", 4096UL)]
    [InlineData("512k", 512UL << 10)]
    [InlineData("512K", 512UL << 10)]
    [InlineData("2M", 2UL << 20)]
    [InlineData("1G", 1UL << 30)]
    [InlineData("0x100000", 0x100000UL)]
    public void StackSize_Suffixes(string text, ulong expected) => Assert.Equal(expected, Parse("-s", text, "p").StackSize);

    [Theory]
    [InlineData("-s", "abc", "-s: invalid size")]
    [InlineData("-s", "0", "-s: invalid size")]
    [InlineData("-s", "100G", "too large")]
    [InlineData("-d", "in_asm,bogus", "unknown log item 'bogus' (valid: in_asm, op, op_opt, out_asm, exec, strace, unimp, page)")]
    [InlineData("-cpu", "cortex-x9", "unknown CPU model 'cortex-x9'")]
    [InlineData("-E", "NOEQUALS", "expected var=value")]
    [InlineData("-U", "A=1", "expected a variable name")]
    [InlineData("-tier1-threshold", "x", "invalid number")]
    [InlineData("-seed", "-5", "invalid seed")]
    public void BadOptionValues_Rejected(string option, string value, string expected)
    {
        var e = Assert.Throws<CommandLineException>(() => Parse(option, value, "prog"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void UnknownOptionMissingArgumentAndMissingProgram_Rejected()
    {
        Assert.Contains("unknown option '-frobnicate'", Assert.Throws<CommandLineException>(() => Parse("-frobnicate", "p")).Message);
        Assert.Contains("-B (guest base) is not supported", Assert.Throws<CommandLineException>(() => Parse("-B", "1234", "p")).Message);
        Assert.Contains("needs an argument", Assert.Throws<CommandLineException>(() => Parse("-L")).Message);
        Assert.Contains("no program given", Assert.Throws<CommandLineException>(() => Parse("-strace")).Message);
    }

    [Theory]
    [InlineData("-h", CliAction.Help)]
    [InlineData("-help", CliAction.Help)]
    [InlineData("--help", CliAction.Help)]
    [InlineData("-version", CliAction.Version)]
    [InlineData("--version", CliAction.Version)]
    public void HelpAndVersion_NeedNoProgram(string arg, CliAction action) => Assert.Equal(action, Parse(arg).Action);

    [Fact]
    public void ListingsNeedNoProgram()
    {
        Assert.Equal(CliAction.ListCpus, Parse("-cpu", "help").Action);
        Assert.Equal(CliAction.ListLogItems, Parse("-d", "help").Action);
    }

    [Fact]
    public void UsageListsEveryOption()
    {
        string usage = CommandLineParser.Usage();
        foreach (var opt in new[] { "-L", "-E", "-U", "-0", "-s", "-strace", "-d", "-D", "-one-insn-per-tb", "-seed", "-cpu", "-tier1-threshold", "-no-opt", "-version", "-help" })
            Assert.Matches($@"\s{System.Text.RegularExpressions.Regex.Escape(opt)}[ ,\n]", usage);
        Assert.Contains("QEMU_LD_PREFIX", usage);
    }

    [Fact]
    public void EnvironmentVariables_SupplyDefaults()
    {
        var env = new Dictionary<string, string>
        {
            ["QEMU_LD_PREFIX"] = "/q",
            ["QEMU_STACK_SIZE"] = "1M",
            ["QEMU_STRACE"] = "1",
            ["QEMU_LOG"] = "op",
            ["QEMU_LOG_FILENAME"] = "/tmp/q.log",
            ["QEMU_SET_ENV"] = "A=1",
            ["QEMU_UNSET_ENV"] = "B",
            ["QEMU_ARGV0"] = "zero",
            ["QEMU_CPU"] = "any",
            ["QEMU_RAND_SEED"] = "7",
            ["EMU_TIER1_THRESHOLD"] = "5",
            ["EMU_NO_OPT"] = "1",
        };
        var o = ParseWithEnv(env, "prog");
        Assert.Equal("/q", o.SysRoot);
        Assert.Equal(1UL << 20, o.StackSize);
        Assert.True(o.Strace);
        Assert.Equal(LogItems.Op, o.Log);
        Assert.Equal("/tmp/q.log", o.LogFile);
        Assert.Equal([new EnvEdit(true, "A=1"), new EnvEdit(false, "B")], o.EnvEdits);
        Assert.Equal("zero", o.Argv0);
        Assert.Equal("any", o.Cpu);
        Assert.Equal(7UL, o.Seed);
        Assert.Equal(5, o.Tier1Threshold);
        Assert.True(o.NoOpt);
    }

    [Fact]
    public void CommandLineWinsOverEmuWinsOverQemu()
    {
        var env = new Dictionary<string, string> { ["QEMU_LD_PREFIX"] = "/q", ["EMU_LD_PREFIX"] = "/e", ["QEMU_STACK_SIZE"] = "1M", ["EMU_STACK_SIZE"] = "2M" };
        var o = ParseWithEnv(env, "-s", "3M", "prog");
        Assert.Equal("/e", o.SysRoot);
        Assert.Equal(3UL << 20, o.StackSize);
    }

    [Fact]
    public void FlagVariablesSetToZero_AreOff_AndOursIgnoreTheQemuPrefix()
    {
        var env = new Dictionary<string, string> { ["QEMU_STRACE"] = "0", ["QEMU_NO_OPT"] = "1" };
        var o = ParseWithEnv(env, "prog");
        Assert.False(o.Strace);
        Assert.False(o.NoOpt);
    }

    [Fact]
    public void BadEnvironmentValue_NamesTheVariable()
    {
        var env = new Dictionary<string, string> { ["QEMU_STACK_SIZE"] = "lots" };
        var e = Assert.Throws<CommandLineException>(() => ParseWithEnv(env, "prog"));
        Assert.StartsWith("QEMU_STACK_SIZE: ", e.Message);
    }

    [Fact]
    public void GuestEnvironment_EditsAppliedInOrder()
    {
        var o = Parse("-E", "B=new,D=4", "-U", "C", "-U", "D", "-E", "A=again", "prog");
        var env = o.GuestEnvironment(["A=1", "B=2", "C=3", "E=x=y"]);
        Assert.Equal(["A=again", "B=new", "E=x=y"], env);
    }

    [Fact]
    public void BinfmtActions_NeedNoProgramAndTakeFlags()
    {
        var o = Parse("-binfmt-flags", "OCF", "-binfmt-install");
        Assert.Equal(CliAction.BinfmtInstall, o.Action);
        Assert.Equal("OCF", o.BinfmtFlags);
        Assert.Equal("PF", Parse("-binfmt-install").BinfmtFlags);
        Assert.Equal(CliAction.BinfmtUninstall, Parse("-binfmt-uninstall").Action);
        Assert.Equal(CliAction.BinfmtStatus, Parse("--binfmt-status").Action);
    }
}
