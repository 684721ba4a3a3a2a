using System.Diagnostics;
using System.Text;

namespace Emu.DiffTest;

public sealed class DiffOptions
{
    public int Seed { get; init; } = 1;
    public int Count { get; init; } = 1000;
    public IReadOnlySet<string> Categories { get; init; } = new HashSet<string> { "int", "ldst", "simd" };
    /// <summary>Only encodings whose name starts with this (case-insensitive), or all when null.</summary>
    public string? EncodingPrefix { get; init; }
    public int BatchSize { get; init; } = 400;
    public required string Emulator { get; init; }
    public string Reference { get; init; } = "qemu-aarch64";
    /// <summary>Extra environment for the emulator only, e.g. EMU_TIER1_THRESHOLD=0 to compile every block with Tier 1.</summary>
    public IReadOnlyDictionary<string, string> EmulatorEnvironment { get; init; } = new Dictionary<string, string>();
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Keep the generated ELF files in this directory (for reruns by hand), or null.</summary>
    public string? KeepDirectory { get; init; }
    /// <summary>Applied to the reference's output before comparing; lets tests check that the harness notices differences.</summary>
    public Func<byte[], byte[]>? TransformReferenceOutput { get; init; }
}

public sealed class DiffResult
{
    public int Compared { get; set; }
    /// <summary>Cases on which both emulators trapped (e.g. an instruction neither implements).</summary>
    public int BothTrapped { get; set; }
    public List<string> Mismatches { get; } = [];
    public Dictionary<string, int> SkippedByException { get; } = [];
    /// <summary>Mismatch counts by encoding name of the sequence's instructions.</summary>
    public Dictionary<string, int> MismatchesByEncoding { get; } = [];

    public string Summary()
    {
        var sb = new StringBuilder();
        sb.Append($"{Compared} cases compared, {Mismatches.Count} mismatches, {BothTrapped} trapped under both");
        foreach (var (name, count) in SkippedByException.OrderBy(p => p.Key))
            sb.Append($"; {count} words skipped by exception {name}");
        return sb.ToString();
    }
}

/// <summary>Generates cases, runs each batch under the emulator and the reference and compares the outputs.</summary>
public sealed class DiffRunner(DiffOptions options)
{
    public DiffResult Run(Action<string>? log = null)
    {
        using var disassembler = new Disassembler();
        var generator = new CaseGenerator(options.Seed, options.Categories, disassembler.IsValid, options.EncodingPrefix);
        var result = new DiffResult();
        string dir = options.KeepDirectory ?? Directory.CreateTempSubdirectory("emu-difftest").FullName;
        Directory.CreateDirectory(dir);
        int next = 0, batchNumber = 0;
        try
        {
            while (next < options.Count)
            {
                int size = Math.Min(options.BatchSize, options.Count - next);
                var cases = new List<DiffCase>();
                for (int slot = 0; slot < size; slot++)
                    cases.Add(generator.Next(next + slot, TestProgram.MemoryAddress(slot)));
                // A trap ends a batch early; the remaining cases go into a fresh program.
                while (cases.Count > 0)
                {
                    string elf = Path.Combine(dir, $"batch{batchNumber++}.elf");
                    File.WriteAllBytes(elf, TestProgram.Build(cases));
                    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(elf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    var emuRun = Task.Run(() => RunGuest(options.Emulator, elf, options.EmulatorEnvironment));
                    var refRun = Task.Run(() => RunGuest(options.Reference, elf, new Dictionary<string, string>()));
                    var (emuOut, emuStatus) = emuRun.Result;
                    var (refOut, refStatus) = refRun.Result;
                    if (options.TransformReferenceOutput is not null) refOut = options.TransformReferenceOutput(refOut);
                    int emuRecords = emuOut.Length / StateLayout.OutputSize, refRecords = refOut.Length / StateLayout.OutputSize;
                    int complete = Math.Min(Math.Min(emuRecords, refRecords), cases.Count);
                    for (int slot = 0; slot < complete; slot++)
                    {
                        result.Compared++;
                        var emuRecord = emuOut.AsSpan(slot * StateLayout.OutputSize, StateLayout.OutputSize);
                        var refRecord = refOut.AsSpan(slot * StateLayout.OutputSize, StateLayout.OutputSize);
                        int diff = emuRecord.CommonPrefixLength(refRecord);
                        if (diff < StateLayout.OutputSize)
                            AddMismatch(result, disassembler, cases, slot, Describe(emuRecord, refRecord, diff), log);
                    }
                    if (complete == cases.Count) break;
                    if (emuRecords == refRecords && ExitCode(emuStatus) != ExitCode(refStatus))
                    {
                        // Both stopped at the same case but differently (e.g. SIGBUS against SIGSEGV).
                        result.Compared++;
                        AddMismatch(result, disassembler, cases, complete, $"both stopped, emu-aarch64 with status {emuStatus}, the reference with {refStatus}", log);
                    }
                    else if (emuRecords == refRecords)
                    {
                        // The same trap under both (e.g. an alignment fault's SIGBUS) is an agreement: it counts as compared.
                        result.Compared++;
                        result.BothTrapped++;
                        log?.Invoke($"case {cases[complete].Index}: trapped under both (emu status {emuStatus}, reference status {refStatus}): "
                            + string.Join("; ", cases[complete].Words.Select(w => disassembler.Text(w) ?? $".word {w:x8}")));
                    }
                    else
                    {
                        result.Compared++;
                        string what = emuRecords < refRecords
                            ? $"emu-aarch64 stopped (status {emuStatus}), the reference did not"
                            : $"the reference stopped (status {refStatus}), emu-aarch64 did not";
                        AddMismatch(result, disassembler, cases, complete, what, log);
                    }
                    cases = cases.Skip(complete + 1).ToList();
                    // Slots moved: the memory block addresses in the inputs must follow.
                    cases = cases.Select((c, slot) => Relocate(c, slot)).ToList();
                }
                next += size;
            }
        }
        finally
        {
            if (options.KeepDirectory is null) Directory.Delete(dir, recursive: true);
        }
        foreach (var (name, count) in generator.SkippedByException) result.SkippedByException[name] = count;
        return result;
    }

    /// <summary>The case moved to <paramref name="slot"/>: pointers into its old memory block now point into the new one.</summary>
    private static DiffCase Relocate(DiffCase c, int slot)
    {
        var input = (byte[])c.Input.Clone();
        ulong oldBlock = TestProgram.MemoryAddress(OriginalSlot(c.Input)), newBlock = TestProgram.MemoryAddress(slot);
        for (int offset = 0; offset <= StateLayout.Sp; offset += 8)
        {
            ulong value = StateLayout.ReadU64(input, offset);
            if (value >= oldBlock && value < oldBlock + StateLayout.MemorySize)
                StateLayout.WriteU64(input, offset, value - oldBlock + newBlock);
        }
        return new DiffCase { Index = c.Index, Words = c.Words, Encodings = c.Encodings, Input = input, Memory = c.Memory };
    }

    /// <summary>The slot a case was generated for, recovered from its SP (the middle of its memory block).</summary>
    private static int OriginalSlot(byte[] input)
    {
        ulong sp = StateLayout.ReadU64(input, StateLayout.Sp) - StateLayout.MemorySize / 2;
        return (int)((sp - TestProgram.MemoryAddress(0)) / StateLayout.RecordSize);
    }

    private static string Describe(ReadOnlySpan<byte> emu, ReadOnlySpan<byte> reference, int offset)
    {
        var (name, start, length) = StateLayout.OutputField(offset);
        string Hex(ReadOnlySpan<byte> s) => length == 16
            ? $"{StateLayout.ReadU64(s, start + 8):x16}:{StateLayout.ReadU64(s, start):x16}"
            : $"{StateLayout.ReadU64(s, start):x16}";
        return $"{name} differs: emu-aarch64 {Hex(emu)}, qemu-aarch64 {Hex(reference)}";
    }

    private void AddMismatch(DiffResult result, Disassembler disassembler, List<DiffCase> cases, int slot, string what, Action<string>? log)
    {
        var c = cases[slot];
        var sb = new StringBuilder();
        sb.AppendLine($"case {c.Index} (seed {options.Seed}): {what}");
        ulong address = TestProgram.SequenceAddress(cases, slot);
        var registers = new SortedSet<int>();
        for (int i = 0; i < c.Words.Length; i++)
        {
            var e = c.Encodings[i];
            uint w = c.Words[i];
            sb.AppendLine($"    {address + (ulong)(4 * i):x8}: {w:x8}  {disassembler.Text(w, address + (ulong)(4 * i)) ?? "?",-40} [{e.Name}]");
            foreach (char f in "dnmatus")
                if (FieldCodec.Width(e, f) == 5) registers.Add((int)FieldCodec.Get(e, w, f));
            result.MismatchesByEncoding[e.Name] = result.MismatchesByEncoding.GetValueOrDefault(e.Name) + 1;
        }
        var input = c.Input;
        sb.Append($"    input: NZCV={StateLayout.ReadU64(input, StateLayout.Nzcv) >> 28:x} FPCR={StateLayout.ReadU64(input, StateLayout.Fpcr):x}");
        foreach (int r in registers)
        {
            if (r < 31) sb.Append($" X{r}={StateLayout.ReadU64(input, StateLayout.X(r)):x}");
            else sb.Append($" SP={StateLayout.ReadU64(input, StateLayout.Sp):x}");
            if (r < 32) sb.Append($" V{r}={StateLayout.ReadU64(input, StateLayout.V(r) + 8):x16}:{StateLayout.ReadU64(input, StateLayout.V(r)):x16}");
        }
        string text = sb.ToString();
        result.Mismatches.Add(text);
        log?.Invoke(text);
    }

    private (byte[] Output, string Status) RunGuest(string runner, string elf, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(runner, [elf])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {runner}");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(options.Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            copy.Wait(TimeSpan.FromSeconds(30));
            return (output.ToArray(), "timeout");
        }
        copy.Wait(TimeSpan.FromSeconds(30));
        string err = stderr.Wait(TimeSpan.FromSeconds(30)) ? stderr.Result.Trim() : "";
        string status = process.ExitCode.ToString() + (err.Length > 0 ? $", stderr: {err.Split('\n')[0]}" : "");
        return (output.ToArray(), status);
    }

    /// <summary>The exit code at the start of a status from RunGuest (without the stderr text, which differs).</summary>
    private static string ExitCode(string status) => status.Split(',')[0];
}
