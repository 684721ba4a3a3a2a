using Emu.Cpu;

namespace Emu.Jit;

internal static partial class HelperThunks
{
    /// <summary>
    /// Calls a helper of scalar arguments through its function pointer, one method per shape. Only scalar
    /// shapes: ReadyToRun precompiles no method with a Vector128 parameter, so a shape with one would be
    /// JIT-compiled as well as the helper (a DynamicMethod thunk compiles the two together).
    /// </summary>
    private sealed unsafe class ShapeThunk(nint function)
    {
        private readonly nint _fn = function;

        /// <summary>A thunk for the shape of <see cref="Shape"/>, or null.</summary>
        public HelperThunk? For(string shape) => shape switch
        {
            "S||N" => Static0Void,
            "S||I" => Static0,
            "S|I|N" => Static1Void,
            "S|I|I" => Static1,
            "S|II|N" => Static2Void,
            "S|II|I" => Static2,
            "S|III|N" => Static3Void,
            "S|III|I" => Static3,
            "S|IIII|N" => Static4Void,
            "S|IIII|I" => Static4,
            "S|IIIII|N" => Static5Void,
            "S|IIIII|I" => Static5,
            "S|IIIIII|N" => Static6Void,
            "S|IIIIII|I" => Static6,
            "C||N" => Context0Void,
            "C||I" => Context0,
            "C|I|N" => Context1Void,
            "C|I|I" => Context1,
            "C|II|N" => Context2Void,
            "C|II|I" => Context2,
            "C|III|N" => Context3Void,
            "C|III|I" => Context3,
            "C|IIII|N" => Context4Void,
            "C|IIII|I" => Context4,
            "C|IIIII|N" => Context5Void,
            "C|IIIII|I" => Context5,
            "C|IIIIII|N" => Context6Void,
            "C|IIIIII|I" => Context6,
            _ => null,
        };

        private void Static0Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<void>)_fn)();
        private void Static0(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong>)_fn)();
        private void Static1Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, void>)_fn)(*(ulong*)(s + a[1]));
        private void Static1(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong>)_fn)(*(ulong*)(s + a[1]));
        private void Static2Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, ulong, void>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]));
        private void Static2(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong, ulong>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]));
        private void Static3Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, ulong, ulong, void>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]));
        private void Static3(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong, ulong, ulong>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]));
        private void Static4Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, ulong, ulong, ulong, void>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]));
        private void Static4(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong, ulong, ulong, ulong>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]));
        private void Static5Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, ulong, ulong, ulong, ulong, void>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]));
        private void Static5(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong, ulong, ulong, ulong, ulong>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]));
        private void Static6Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<ulong, ulong, ulong, ulong, ulong, ulong, void>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]), *(ulong*)(s + a[6]));
        private void Static6(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<ulong, ulong, ulong, ulong, ulong, ulong, ulong>)_fn)(*(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]), *(ulong*)(s + a[6]));
        private void Context0Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, void>)_fn)(ctx);
        private void Context0(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong>)_fn)(ctx);
        private void Context1Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]));
        private void Context1(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]));
        private void Context2Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]));
        private void Context2(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]));
        private void Context3Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, ulong, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]));
        private void Context3(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]));
        private void Context4Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]));
        private void Context4(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]));
        private void Context5Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]));
        private void Context5(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]));
        private void Context6Void(CpuContext* ctx, byte* s, byte* v, int* a) => ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, ulong, ulong, void>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]), *(ulong*)(s + a[6]));
        private void Context6(CpuContext* ctx, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = ((delegate*<CpuContext*, ulong, ulong, ulong, ulong, ulong, ulong, ulong>)_fn)(ctx, *(ulong*)(s + a[1]), *(ulong*)(s + a[2]), *(ulong*)(s + a[3]), *(ulong*)(s + a[4]), *(ulong*)(s + a[5]), *(ulong*)(s + a[6]));
    }
}
