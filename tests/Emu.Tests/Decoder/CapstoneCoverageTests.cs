using System.Text;
using Encoding = Emu.Frontend.Decoder.Encoding;
using Emu.DiffTest;
using Emu.Frontend.Decoder;
using Emu.Tests.Conformance;
using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;
using Xunit.Abstractions;

namespace Emu.Tests.Decoder;

/// <summary>
/// Decoder coverage against Capstone, an independent disassembler: over random 32-bit words, every word
/// our decoder accepts must be an instruction for Capstone with the same mnemonic (up to aliases), and
/// every word Capstone decodes to a mnemonic we implement must decode in ours. The per-group table is
/// printed and written to artifacts/decoder-coverage.md.
/// </summary>
public class CapstoneCoverageTests(ITestOutputHelper output)
{
    private const int Seed = 0x5EED;
    private const int WordCount = 2_000_000;

    /// <summary>Encodings Capstone (2.3.0, Capstone engine 4) does not know, so our decode has no Capstone
    /// counterpart. Each is an architecture extension newer than that engine, checked against the ARM ARM.</summary>
    private static IReadOnlyDictionary<string, string> s_falseDecodeAllowed => CapstoneGaps.UnknownEncodings;

    /// <summary>Capstone mnemonics (after normalisation) whose forms we decode only in part, with why the
    /// remaining forms are missing.</summary>
    private static readonly Dictionary<string, string> s_missAllowed = new()
    {
        ["mrs"] = "system registers other than the EL0-accessible ones trap at EL0 (SIGILL), as on Linux hardware",
        ["msr"] = "system registers other than the EL0-accessible ones trap at EL0 (SIGILL), as on Linux hardware",
        ["sys"] = "SYS operations other than the EL0 cache maintenance ones trap at EL0",
        ["hvc"] = "HVC is UNDEFINED at EL0 (ARM ARM C6.2 HVC: 'UNDEFINED in EL0')",
        ["smc"] = "SMC is UNDEFINED at EL0 (ARM ARM C6.2 SMC: 'UNDEFINED in EL0')",
        ["smull"] = "by-element forms (AdvSIMD vector x indexed element) not yet implemented (branch simdint)",
        ["smull2"] = "by-element forms not yet implemented (branch simdint)",
        ["umull"] = "by-element forms not yet implemented (branch simdint)",
        ["umull2"] = "by-element forms not yet implemented (branch simdint)",
        ["smlal"] = "by-element forms not yet implemented (branch simdint)",
        ["smlal2"] = "by-element forms not yet implemented (branch simdint)",
        ["umlal"] = "by-element forms not yet implemented (branch simdint)",
        ["umlal2"] = "by-element forms not yet implemented (branch simdint)",
        ["smlsl"] = "by-element forms not yet implemented (branch simdint)",
        ["smlsl2"] = "by-element forms not yet implemented (branch simdint)",
        ["umlsl"] = "by-element forms not yet implemented (branch simdint)",
        ["umlsl2"] = "by-element forms not yet implemented (branch simdint)",
        ["frsqrts"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fminnm"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtnu"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtzu"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["ucvtf"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fmul"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fsub"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["scvtf"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtzs"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fmax"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fmin"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fmaxnm"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fdiv"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frsqrte"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frecps"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fadd"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtau"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frinti"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtms"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frintn"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtmu"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtps"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frintz"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fabs"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtpu"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fsqrt"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtns"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fcvtas"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frintx"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frinta"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["fneg"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frintm"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
        ["frecpe"] = "AdvSIMD FP forms (vector, SIMD scalar, by element) not merged yet (branch simdfp) — remove when merged (hides scalar-form misses of the same mnemonic meanwhile)",
    };

    /// <summary>Capstone alias mnemonic → the instruction names (our encoding names up to '_') it can stand for.</summary>
    private static readonly Dictionary<string, string[]> s_aliases = new()
    {
        ["mov"] = ["orr", "movz", "movn", "add", "umov", "ins", "dup"],
        ["cmp"] = ["subs"],
        ["cmn"] = ["adds"],
        ["tst"] = ["ands"],
        ["neg"] = ["sub"],
        ["negs"] = ["subs"],
        ["ngc"] = ["sbc"],
        ["ngcs"] = ["sbcs"],
        ["mvn"] = ["orn", "not"],
        ["lsl"] = ["ubfm", "lslv"],
        ["lsr"] = ["ubfm", "lsrv"],
        ["asr"] = ["sbfm", "asrv"],
        ["ror"] = ["extr", "rorv"],
        ["sxtb"] = ["sbfm"],
        ["sxth"] = ["sbfm"],
        ["sxtw"] = ["sbfm"],
        ["sbfiz"] = ["sbfm"],
        ["sbfx"] = ["sbfm"],
        ["uxtb"] = ["ubfm"],
        ["uxth"] = ["ubfm"],
        ["ubfiz"] = ["ubfm"],
        ["ubfx"] = ["ubfm"],
        ["bfi"] = ["bfm"],
        ["bfxil"] = ["bfm"],
        ["bfc"] = ["bfm"],
        ["cset"] = ["csinc"],
        ["csetm"] = ["csinv"],
        ["cinc"] = ["csinc"],
        ["cinv"] = ["csinv"],
        ["cneg"] = ["csneg"],
        ["mul"] = ["madd"],
        ["mneg"] = ["msub"],
        ["smull"] = ["smaddl"],
        ["umull"] = ["umaddl"],
        ["smnegl"] = ["smsubl"],
        ["umnegl"] = ["umsubl"],
        ["sxtl"] = ["sshll"],
        ["uxtl"] = ["ushll"],
        ["nop"] = ["hint"],
        ["yield"] = ["hint"],
        ["wfe"] = ["hint"],
        ["wfi"] = ["hint"],
        ["sev"] = ["hint"],
        ["sevl"] = ["hint"],
        ["esb"] = ["hint"],
        ["psb"] = ["hint"],
        ["csdb"] = ["hint"],
        ["bti"] = ["hint"],
        ["xpaclri"] = ["hint"],
        ["dc"] = ["sys"],
        ["ic"] = ["sys"],
        ["at"] = ["sys"],
        ["tlbi"] = ["sys"],
        ["braaz"] = ["braxz"],
        ["brabz"] = ["braxz"],
        ["blraaz"] = ["blraxz"],
        ["blrabz"] = ["blraxz"],
        ["braa"] = ["brax"],
        ["brab"] = ["brax"],
        ["blraa"] = ["blrax"],
        ["blrab"] = ["blrax"],
        ["retaa"] = ["retax"],
        ["retab"] = ["retax"],
        ["rev"] = ["rev32"], // REV Wd is the sf=0 form of the REV32 line
    };

    /// <summary>Our instruction name for an encoding: its name up to the first '_', lower case.</summary>
    private static string BaseName(Encoding e)
    {
        int underscore = e.Name.IndexOf('_');
        return (underscore < 0 ? e.Name : e.Name[..underscore]).ToLowerInvariant();
    }

    /// <summary>The instruction names a Capstone mnemonic can stand for.</summary>
    private static IEnumerable<string> Candidates(string mnemonic, IReadOnlySet<string> known)
    {
        int dot = mnemonic.IndexOf('.');
        if (dot > 0) mnemonic = mnemonic[..dot]; // b.eq → b
        yield return mnemonic;
        if (s_aliases.TryGetValue(mnemonic, out var names))
            foreach (string name in names) yield return name;
        // "Second half" vector forms (saddl2, xtn2, ...) share the encoding line of the first-half form.
        if (mnemonic.EndsWith('2') && !known.Contains(mnemonic))
        {
            string first = mnemonic[..^1];
            yield return first;
            if (s_aliases.TryGetValue(first, out var firstNames))
                foreach (string name in firstNames) yield return name;
        }
    }

    private sealed class GroupStats
    {
        public int Decoded;
        public int Agreed;
        public int Unpredictable;
        public readonly Dictionary<string, int> EmitterErrors = [];
        public readonly Dictionary<string, int> FalseDecodes = [];
        /// <summary>Words Capstone 4 rejects but the architecture defines (<see cref="CapstoneGaps.UnknownToCapstone"/>).</summary>
        public readonly Dictionary<string, int> CapstoneGapDecodes = [];
        public readonly Dictionary<string, int> WrongMnemonic = [];
        public readonly Dictionary<string, int> Misses = [];
        public readonly Dictionary<string, uint> Examples = [];
    }

    [Fact]
    public void DecoderAgreesWithCapstone()
    {
        var decoder = Arm64Decoder.Instance;
        var known = A64Encodings.All.Select(BaseName).ToHashSet();
        // A Capstone-only word is in scope when an encoding of the same name and register kind (general
        // or FP/SIMD) exists; it is charged to that encoding's group.
        var groupOfName = new Dictionary<(string, bool), string>();
        foreach (var e in A64Encodings.All) groupOfName.TryAdd((BaseName(e), IsVectorGroup(e)), e.Group);

        var stats = new SortedDictionary<string, GroupStats>(StringComparer.Ordinal);
        GroupStats Stats(string group) => stats.TryGetValue(group, out var s) ? s : stats[group] = new GroupStats();
        var notImplemented = new Dictionary<string, int>();
        int capstoneDecoded = 0;

        using var capstone = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.LittleEndian);
        capstone.EnableSkipDataMode = true;
        var random = new Random(Seed);
        const int Chunk = 1 << 16;
        var words = new uint[Chunk];
        var bytes = new byte[Chunk * 4];
        for (int done = 0; done < WordCount; done += Chunk)
        {
            for (int i = 0; i < Chunk; i++)
            {
                words[i] = (uint)random.NextInt64(0, 1L << 32);
                BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), words[i]);
            }
            var insns = capstone.Disassemble(bytes, 0);
            Assert.Equal(Chunk, insns.Length); // skip-data mode yields one entry per 4-byte word
            for (int i = 0; i < Chunk; i++)
            {
                uint word = words[i];
                var insn = insns[i];
                Assert.Equal(4L * i, insn.Address);
                string? mnemonic = insn.IsSkippedData ? null : insn.Mnemonic.ToLowerInvariant();
                bool vectorOperands = mnemonic != null && s_vectorRegister.IsMatch(insn.Operand);
                if (mnemonic != null) capstoneDecoded++;
                var ours = decoder.Decode(word);
                if (ours != null && CapstoneGaps.TranslatesAsUndefined(word, out string? error))
                {
                    if (error != null) Count(Stats(ours.Group).EmitterErrors, Stats(ours.Group).Examples, $"{ours.Name}: {error}", word);
                    ours = null;
                }
                if (ours != null)
                {
                    var s = Stats(ours.Group);
                    s.Decoded++;
                    if (mnemonic == null && (IsConstrainedUnpredictable(ours, word) || HasIgnoredBitsSet(ours, word, capstone)))
                        s.Unpredictable++;
                    else if (mnemonic == null && CapstoneGaps.UnknownToCapstone(ours, word))
                        Count(s.CapstoneGapDecodes, s.Examples, ours.Name, word);
                    else if (mnemonic == null)
                        Count(s.FalseDecodes, s.Examples, ours.Name, word);
                    else if (Candidates(mnemonic, known).Contains(BaseName(ours)))
                        s.Agreed++;
                    else
                        Count(s.WrongMnemonic, s.Examples, $"{ours.Name} as {mnemonic}", word);
                }
                else if (mnemonic != null)
                {
                    string? name = Candidates(mnemonic, known).FirstOrDefault(n => groupOfName.ContainsKey((n, vectorOperands)));
                    if (name != null)
                    {
                        var s = Stats(groupOfName[(name, vectorOperands)]);
                        Count(s.Misses, s.Examples, mnemonic, word);
                    }
                    else
                        notImplemented[mnemonic] = notImplemented.GetValueOrDefault(mnemonic) + 1;
                }
            }
        }

        string report = Report(stats, notImplemented, capstoneDecoded);
        output.WriteLine(report);
        string artifacts = Path.Combine(RepoLayout.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "decoder-coverage.md"), report);

        var failures = new List<string>();
        foreach (var (group, s) in stats)
        {
            foreach (var (name, count) in s.FalseDecodes)
                if (!s_falseDecodeAllowed.ContainsKey(name))
                    failures.Add($"{group}: {name} decodes {count} words Capstone rejects, e.g. {s.Examples[name]:x8}");
            foreach (var (what, count) in s.EmitterErrors)
                failures.Add($"{group}: emitter throws for {what}: {count} words, e.g. {s.Examples[what]:x8}");
            foreach (var (what, count) in s.WrongMnemonic)
                failures.Add($"{group}: {what}: {count} words, e.g. {s.Examples[what]:x8}");
            foreach (var (mnemonic, count) in s.Misses)
                if (!s_missAllowed.ContainsKey(mnemonic))
                    failures.Add($"{group}: {count} words Capstone decodes as {mnemonic} are not decoded, e.g. {s.Examples[mnemonic]:x8}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Memory-access words whose register fields overlap (Rt = Rn with writeback, Rt = Rt2 in a
    /// load pair, a store-exclusive status register equal to another operand): CONSTRAINED UNPREDICTABLE in
    /// the ARM ARM. Capstone rejects them; we, like qemu, execute one of the permitted behaviours.</summary>
    private static bool IsConstrainedUnpredictable(Encoding e, uint word)
    {
        if (!EncodingCategories.IsMemory(e)) return false;
        uint Field(char f) => e.Pattern.Count(c => c == f) == 5 ? e.Field(word, f) : 32;
        uint t = Field('t'), t2 = Field('u'), n = Field('n'), status = Field('r');
        if (t2 != 32 && t == t2) return true; // load pair into one register
        if (n != 31 && (n == t || n == t2)) return true; // transfer register is the (written-back) base
        if (status != 32 && status != 31 && (status == t || status == t2 || status == n)) return true;
        return false;
    }

    private static readonly System.Text.RegularExpressions.Regex s_vectorRegister = new(@"\b[vqdshb]\d+\b");

    /// <summary>FP/SIMD encodings (and FP/SIMD loads/stores) versus general-register ones.</summary>
    private static bool IsVectorGroup(Encoding e) => e.Group != "base" && e.Group != "flagm" && e.Group != "hbc"
        && e.Group != "pauth" && e.Group != "rcpc" && e.Group != "lse" && e.Group != "crc";

    /// <summary>DUP (general) ignores the imm5 bits above the size bit (there is no index) and INS (element)
    /// the imm4 bits below the index (ARM ARM C7.2: shown as "x"); Capstone (LLVM tables) wants them zero.
    /// True when such a bit is set and the word with them cleared is one Capstone accepts.</summary>
    private static bool HasIgnoredBitsSet(Encoding e, uint word, CapstoneArm64Disassembler capstone)
    {
        if (e.Name is not ("DUP_general" or "INS_element")) return false;
        uint imm5 = (word >> 16) & 0x1F;
        if (imm5 == 0) return false;
        int size = System.Numerics.BitOperations.TrailingZeroCount(imm5);
        uint canonical = e.Name == "DUP_general"
            ? (word & ~(0x1Fu << 16)) | (1u << size << 16)
            : word & ~((((1u << size) - 1)) << 11);
        if (canonical == word) return false;
        var insns = capstone.Disassemble(BitConverter.GetBytes(canonical), 0);
        return insns.Length == 1 && !insns[0].IsSkippedData;
    }

    private static void Count(Dictionary<string, int> counts, Dictionary<string, uint> examples, string key, uint word)
    {
        counts[key] = counts.GetValueOrDefault(key) + 1;
        examples.TryAdd(key, word);
    }

    private static string Report(SortedDictionary<string, GroupStats> stats, Dictionary<string, int> notImplemented, int capstoneDecoded)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Decoder coverage against Capstone");
        sb.AppendLine();
        sb.AppendLine($"{WordCount} random words (seed {Seed:x}); Capstone decodes {capstoneDecoded}. Generated by tests/Emu.Tests/Decoder/CapstoneCoverageTests.cs.");
        sb.AppendLine();
        sb.AppendLine("| group | decoded by us | agree with Capstone | unpredictable (Capstone rejects) | false decodes | other mnemonic | misses (Capstone-only, implemented mnemonic) | coverage |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (group, s) in stats)
        {
            int misses = s.Misses.Values.Sum();
            string coverage = s.Agreed + misses == 0 ? "-" : $"{100.0 * s.Agreed / (s.Agreed + misses):F1}%";
            sb.AppendLine($"| {group} | {s.Decoded} | {s.Agreed} | {s.Unpredictable} | {s.FalseDecodes.Values.Sum()} | {s.WrongMnemonic.Values.Sum()} | {misses} | {coverage} |");
        }
        sb.AppendLine($"| (no encoding of that name) | | | | | | {notImplemented.Values.Sum()} | |");
        sb.AppendLine();
        foreach (var (group, s) in stats)
        {
            foreach (var (name, count) in s.FalseDecodes.OrderByDescending(p => p.Value))
                sb.AppendLine($"- {group}: false decode {name}: {count} (e.g. {s.Examples[name]:x8}){(s_falseDecodeAllowed.TryGetValue(name, out var why) ? " — allowed: " + why : "")}");
            foreach (var (name, count) in s.CapstoneGapDecodes.OrderByDescending(p => p.Value))
                sb.AppendLine($"- {group}: {name}: {count} words Capstone 4 does not know (e.g. {s.Examples[name]:x8}){(s_falseDecodeAllowed.TryGetValue(name, out var gap) ? ": " + gap : "")}");
            foreach (var (what, count) in s.EmitterErrors.OrderByDescending(p => p.Value))
                sb.AppendLine($"- {group}: emitter throws {what}: {count} (e.g. {s.Examples[what]:x8})");
            foreach (var (what, count) in s.WrongMnemonic.OrderByDescending(p => p.Value))
                sb.AppendLine($"- {group}: other mnemonic {what}: {count} (e.g. {s.Examples[what]:x8})");
            foreach (var (mnemonic, count) in s.Misses.OrderByDescending(p => p.Value))
                sb.AppendLine($"- {group}: miss {mnemonic}: {count} (e.g. {s.Examples[mnemonic]:x8}){(s_missAllowed.TryGetValue(mnemonic, out var why) ? " — allowed: " + why : "")}");
        }
        sb.AppendLine();
        sb.AppendLine("Most frequent Capstone mnemonics with no encoding of that name yet: "
            + string.Join(", ", notImplemented.OrderByDescending(p => p.Value).Take(40).Select(p => $"{p.Key} {p.Value}")));
        return sb.ToString();
    }
}
