"""The Mend API emulator: serves an organization dataset over real HTTP on loopback."""

from sbomgen.emulator.dataset import Dataset, DatasetError
from sbomgen.emulator.server import ORG_ADMIN, PRODUCT_ADMIN, Emulator, Fault, User

__all__ = ["ORG_ADMIN", "PRODUCT_ADMIN", "Dataset", "DatasetError", "Emulator", "Fault", "User"]
