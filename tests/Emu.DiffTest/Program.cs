using Emu.DiffTest;

// emu-difftest: differential random instruction testing of emu-aarch64 against qemu-aarch64.
int seed = 1, count = 1000, batch = 400;
string groups = "int,ldst,simd";
string? encoding = null, keep = null;
string? emulator = null;
string reference = "qemu-aarch64";
var environment = new Dictionary<string, string>();
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--seed": seed = int.Parse(Value()); break;
        case "--count": count = int.Parse(Value()); break;
        case "--group": groups = Value(); break;
        case "--encoding": encoding = Value(); break;
        case "--batch": batch = int.Parse(Value()); break;
        case "--emu": emulator = Value(); break;
        case "--qemu": reference = Value(); break;
        case "--keep": keep = Value(); break;
        case "--tier1": environment["EMU_TIER1_THRESHOLD"] = "0"; break;
        case "--interpreter": environment["EMU_TIER1_THRESHOLD"] = "-1"; break;
        case "--env":
            string[] pair = Value().Split('=', 2);
            environment[pair[0]] = pair.Length > 1 ? pair[1] : "";
            break;
        case "--list-groups":
            foreach (var g in Emu.Frontend.Decoder.A64Encodings.All.GroupBy(EncodingCategories.Of).OrderBy(g => g.Key))
                Console.WriteLine($"{g.Key,-10} {g.Count()} encodings");
            return 0;
        default:
            Console.Error.WriteLine("usage: emu-difftest [--seed N] [--count M] [--group int,ldst,simd,...] [--encoding NAMEPREFIX]");
            Console.Error.WriteLine("                    [--batch N] [--emu PATH] [--qemu PATH] [--keep DIR]");
            Console.Error.WriteLine("                    [--tier1 | --interpreter] [--env NAME=VALUE] | --list-groups");
            return 2;
    }
}
emulator ??= Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "bin", "emu-aarch64");
var options = new DiffOptions
{
    Seed = seed,
    Count = count,
    BatchSize = batch,
    Categories = groups.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
    EncodingPrefix = encoding,
    Emulator = emulator,
    Reference = reference,
    KeepDirectory = keep,
    EmulatorEnvironment = environment,
};
var result = new DiffRunner(options).Run(Console.WriteLine);
if (result.MismatchesByEncoding.Count > 0)
    Console.WriteLine("mismatches by encoding: " + string.Join(", ", result.MismatchesByEncoding.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
Console.WriteLine(result.Summary());
return result.Mismatches.Count == 0 ? 0 : 1;
