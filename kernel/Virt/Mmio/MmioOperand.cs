// A memory operand of 1-8 bytes, translated from linear to guest-physical through the guest's own
// paging (GuestPageWalker: access rights at the guest's CPL, #PF error codes) before any byte moves,
// so a fault on its second page leaves no half-done access and no device side effect. Each of its (at
// most two) page pieces is either RAM (GuestMemory: checked against the VM's regions, never outside)
// or MMIO (IMmioBus). An MMIO piece of 1, 2, 4 or 8 bytes is one bus access of that width; any other
// piece (an access split by a page boundary) goes to the bus byte by byte.
using System;

namespace Hv.Virt.Mmio
{
    internal struct MmioOperand
    {
        public ulong Gpa0, Gpa1;
        public int Size0, Size1;        // Size1 = 0: one piece
        public bool Ram0, Ram1;

        public int Size => Size0 + Size1;

        /// <summary>True when one of the operand's pages is the page of <paramref name="gpa"/>.</summary>
        public bool Covers(ulong gpa) =>
            (Size0 != 0 && (Gpa0 >> 12) == (gpa >> 12)) || (Size1 != 0 && (Gpa1 >> 12) == (gpa >> 12));

        /// <summary>
        /// Translates [linear, linear + size) for <paramref name="access"/> (Write for stores and read-modify-write:
        /// their paging check is a write check). On failure the result says what to inject (#PF details in ctx).
        /// </summary>
        public static MmioResult Resolve(ref MmioContext ctx, in GuestPageWalker walker, int bitness, ulong linear, int size,
            AccessKind access, bool stack, out MmioOperand op)
        {
            op = default;
            int room = (int)(0x1000 - (linear & 0xFFF));
            op.Size0 = size <= room ? size : room;
            op.Size1 = size - op.Size0;
            MmioResult r = Piece(ref ctx, walker, linear, access, stack, out op.Gpa0, out op.Ram0);
            if (r != MmioResult.Done || op.Size1 == 0)
                return r;
            ulong next = linear + (ulong)op.Size0;
            if (bitness != 64) next &= 0xFFFF_FFFF;
            return Piece(ref ctx, walker, next, access, stack, out op.Gpa1, out op.Ram1);
        }

        private static MmioResult Piece(ref MmioContext ctx, in GuestPageWalker walker, ulong linear, AccessKind access, bool stack,
            out ulong gpa, out bool ram)
        {
            ram = false;
            switch (walker.Translate(linear, access, out gpa, out uint code))
            {
                case LinearTranslation.Ok:
                    ram = ctx.Memory.IsRam(gpa);      // regions are 4 KiB aligned: the whole piece is one or the other
                    return MmioResult.Done;
                case LinearTranslation.PageFault:
                    ctx.FaultAddress = linear;
                    ctx.ErrorCode = code;
                    return MmioResult.InjectPf;
                case LinearTranslation.NonCanonical:
                    return stack ? MmioResult.InjectSs : MmioResult.InjectGp;
                default:
                    return MmioResult.Unsupported;    // guest page tables outside RAM, or 5-level paging
            }
        }

        /// <summary>Reads the operand (little-endian). False only if RAM refused a read inside its own regions (a hypervisor bug).</summary>
        public bool Read(ref MmioContext ctx, out ulong value)
        {
            value = 0;
            if (!ReadPiece(ref ctx, Gpa0, Size0, Ram0, out ulong low)) return false;
            ulong high = 0;
            if (Size1 != 0 && !ReadPiece(ref ctx, Gpa1, Size1, Ram1, out high)) return false;
            value = Size1 == 0 ? low : low | (high << (8 * Size0));
            return true;
        }

        /// <summary>Writes the low Size bytes of <paramref name="value"/>.</summary>
        public bool Write(ref MmioContext ctx, ulong value)
        {
            if (!WritePiece(ref ctx, Gpa0, Size0, Ram0, value)) return false;
            return Size1 == 0 || WritePiece(ref ctx, Gpa1, Size1, Ram1, value >> (8 * Size0));
        }

        private static bool ReadPiece(ref MmioContext ctx, ulong gpa, int size, bool ram, out ulong value)
        {
            if (ram)
                return ctx.Memory.ReadUInt64(gpa, size, out value);
            if (IsBusWidth(size))
            {
                value = ctx.Bus.Read(gpa, size) & MmioRegisters.Mask(size);
                return true;
            }
            value = 0;
            for (int i = 0; i < size; i++)
                value |= (ctx.Bus.Read(gpa + (ulong)i, 1) & 0xFF) << (8 * i);
            return true;
        }

        private static bool WritePiece(ref MmioContext ctx, ulong gpa, int size, bool ram, ulong value)
        {
            if (ram)
            {
                Span<byte> b = stackalloc byte[8];
                b = b.Slice(0, size);
                Bytes.Store(b, value);
                return ctx.Memory.Write(gpa, b);
            }
            if (IsBusWidth(size))
            {
                ctx.Bus.Write(gpa, size, value & MmioRegisters.Mask(size));
                return true;
            }
            for (int i = 0; i < size; i++)
                ctx.Bus.Write(gpa + (ulong)i, 1, (value >> (8 * i)) & 0xFF);
            return true;
        }

        private static bool IsBusWidth(int size) => size == 1 || size == 2 || size == 4 || size == 8;
    }
}
