"""QR codes drawn as one SVG path, so a page needs no image and no request: the two-step
sign-in's set-up code and the printed list's link to the live search."""

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_path(data: str) -> tuple[int, str]:
    """(size in modules including the quiet zone, path data drawing every dark module)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return len(matrix), "".join(runs)
