using Emu.Frontend.Translation;

namespace Emu.Frontend.Decoder;

/// <summary>
/// The A64 encoding table: one line per encoding, `Inst(name, pattern, emitter)`. Patterns are written
/// MSB first; spaces are ignored. Lowercase letters name fields (sf, Rm, imm...); their meaning is in the
/// emitter. The decoder, the unit tests and the random-instruction tester all consume this list.
/// </summary>
public static class A64Encodings
{
    private static Encoding Inst(string name, string pattern, InstEmitter emit, string group = "base") => new(name, pattern, emit, group);

    public static readonly Encoding[] All =
    [
        // ---- data processing: immediate (InstEmitDataProcessingImmediate) ----

        // ---- data processing: register (InstEmitDataProcessingRegister) ----

        // ---- branches, exceptions, system (InstEmitBranch, InstEmitSystem) ----

        // ---- loads and stores (InstEmitLoadStore) ----

        // ---- FP/SIMD moves, loads/stores and integer SIMD (InstEmitSimd*) ----
    ];
}
