using Hv.Virt.Caps;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    // §27.3.1.2 "Checks on Guest Segment Registers": selectors, bases, limits and access rights of
    // CS, SS, DS, ES, FS, GS, TR and LDTR, per type and mode (virtual-8086, unrestricted guest, IA-32e).
    internal sealed partial class VmEntryChecker
    {
        private void CheckGuestSegments()
        {
            bool v86 = (R(VmcsField.GuestRflags) & (ulong)Rflags.VM) != 0;
            var cs = Seg(GuestSegment.Cs);
            var ss = Seg(GuestSegment.Ss);
            var tr = Seg(GuestSegment.Tr);
            var ldtr = Seg(GuestSegment.Ldtr);

            Expect((tr.Selector & 4) == 0, "27.3.1.2 TR selector: TI flag");
            if (!ldtr.Ar.Unusable) Expect((ldtr.Selector & 4) == 0, "27.3.1.2 LDTR selector: TI flag");
            if (!v86 && !Ug) Expect((ss.Selector & 3) == (cs.Selector & 3), "27.3.1.2 SS selector: RPL equals CS RPL");

            Expect(Canonical(tr.Base) && Canonical(Seg(GuestSegment.Fs).Base) && Canonical(Seg(GuestSegment.Gs).Base),
                "27.3.1.2 TR/FS/GS base canonical");
            if (!ldtr.Ar.Unusable) Expect(Canonical(ldtr.Base), "27.3.1.2 LDTR base canonical");
            Expect((cs.Base >> 32) == 0, "27.3.1.2 CS base bits 63:32");
            foreach (GuestSegment s in new[] { GuestSegment.Ss, GuestSegment.Ds, GuestSegment.Es })
            {
                var g = Seg(s);
                if (!g.Ar.Unusable) Expect((g.Base >> 32) == 0, "27.3.1.2 " + s + " base bits 63:32");
            }

            foreach (GuestSegment s in new[] { GuestSegment.Cs, GuestSegment.Ss, GuestSegment.Ds, GuestSegment.Es, GuestSegment.Fs, GuestSegment.Gs })
            {
                var g = Seg(s);
                if (v86) CheckVirtual8086(s, g);
                else CheckCodeData(s, g, cs, ss);
            }
            CheckTr(tr);
            if (!ldtr.Ar.Unusable) CheckLdtr(ldtr);
        }

        private void CheckVirtual8086(GuestSegment s, Segment g)
        {
            Expect(g.Base == (ulong)g.Selector << 4, "27.3.1.2 " + s + " base in virtual-8086 mode");
            Expect(g.Limit == 0xFFFF, "27.3.1.2 " + s + " limit in virtual-8086 mode");
            Expect(g.Ar.Raw == 0xF3, "27.3.1.2 " + s + " access rights in virtual-8086 mode");
        }

        private void CheckCodeData(GuestSegment s, Segment g, Segment cs, Segment ss)
        {
            string n = "27.3.1.2 " + s + " access rights: ";
            bool isCs = s == GuestSegment.Cs, usable = isCs || !g.Ar.Unusable;
            uint type = g.Ar.Type;
            if (isCs) Expect(type == 9 || type == 11 || type == 13 || type == 15 || (Ug && type == 3), n + "type");
            else if (s == GuestSegment.Ss) { if (usable) Expect(type == 3 || type == 7, n + "type"); }
            else if (usable) Expect((type & 1) != 0 && ((type & 8) == 0 || (type & 2) != 0), n + "type");
            if (usable) Expect(!g.Ar.System, n + "S");
            if (isCs)
            {
                if (type == 3) Expect(g.Ar.Dpl == 0, n + "DPL (type 3)");
                else if (type == 9 || type == 11) Expect(g.Ar.Dpl == ss.Ar.Dpl, n + "DPL equals SS.DPL");
                else if (type == 13 || type == 15) Expect(g.Ar.Dpl <= ss.Ar.Dpl, n + "DPL at most SS.DPL");
            }
            else if (s == GuestSegment.Ss)
            {
                if (!Ug) Expect(g.Ar.Dpl == (g.Selector & 3u), n + "DPL equals RPL");
                if (cs.Ar.Type == 3 || (_cr0 & (ulong)Cr0.PE) == 0) Expect(g.Ar.Dpl == 0, n + "DPL 0 in real mode");
            }
            else if (!Ug && usable && type <= 11) Expect(g.Ar.Dpl >= (g.Selector & 3u), n + "DPL not below RPL");
            if (!usable) return;
            Expect(g.Ar.Present, n + "P");
            Expect((g.Ar.Raw & 0xF00) == 0, n + "reserved bits 11:8");
            if (isCs && Ia32eGuest && g.Ar.Long) Expect(!g.Ar.DefaultBig, n + "D/B with L");
            Expect(GranularityOk(g), n + "G");
            Expect((g.Ar.Raw & 0xFFFE_0000) == 0, n + "reserved bits 31:17");
        }

        private void CheckTr(Segment tr)
        {
            string n = "27.3.1.2 TR access rights: ";
            uint type = tr.Ar.Type;
            Expect(Ia32eGuest ? type == 11 : type == 3 || type == 11, n + "type");
            Expect(tr.Ar.System, n + "S");
            Expect(tr.Ar.Present, n + "P");
            Expect((tr.Ar.Raw & 0xF00) == 0, n + "reserved bits 11:8");
            Expect(GranularityOk(tr), n + "G");
            Expect(!tr.Ar.Unusable, n + "unusable");
            Expect((tr.Ar.Raw & 0xFFFE_0000) == 0, n + "reserved bits 31:17");
        }

        private void CheckLdtr(Segment l)
        {
            string n = "27.3.1.2 LDTR access rights: ";
            Expect(l.Ar.Type == 2, n + "type");
            Expect(l.Ar.System, n + "S");
            Expect(l.Ar.Present, n + "P");
            Expect((l.Ar.Raw & 0xF00) == 0, n + "reserved bits 11:8");
            Expect(GranularityOk(l), n + "G");
            Expect((l.Ar.Raw & 0xFFFE_0000) == 0, n + "reserved bits 31:17");
        }

        /// <summary>If any of limit bits 11:0 is 0, G must be 0; if any of bits 31:20 is 1, G must be 1.</summary>
        private static bool GranularityOk(Segment g)
        {
            if ((g.Limit & 0xFFF) != 0xFFF && g.Ar.Granularity) return false;
            if ((g.Limit >> 20) != 0 && !g.Ar.Granularity) return false;
            return true;
        }

        private struct Segment
        {
            public ushort Selector;
            public ulong Base;
            public uint Limit;
            public AccessRights Ar;
        }

        private Segment Seg(GuestSegment s) => new Segment
        {
            Selector = (ushort)R(VmcsFieldInfo.Selector(s)),
            Base = R(VmcsFieldInfo.Base(s)),
            Limit = (uint)R(VmcsFieldInfo.Limit(s)),
            Ar = new AccessRights((uint)R(VmcsFieldInfo.AccessRights(s))),
        };
    }
}
