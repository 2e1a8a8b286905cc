"""What a provider types into the application form, shared by the journeys and screenshots."""

from pathlib import Path

from PIL import Image

# Field id -> value typed; the choices are ticked separately (see CHOICES).
TYPED = {
    "name": "Les Octets Partagés",
    "pitch_fr": "Hébergement Nextcloud et formations pour les associations bretonnes.",
    "pitch_en": "Nextcloud hosting and training for associations in Brittany.",
    "website": "https://octets.example.org",
    "public_email": "bonjour@octets.example.org",
    "city": "Lorient",
    "postcode": "56100",
    "software": "Nextcloud, Jitsi",
    "contact_email": "personne@prive.example.net",
}
# (field name, value) of the radio buttons and check boxes ticked.
CHOICES = [
    ("kind", "association"),
    ("services", "hosting"),
    ("services", "training"),
    ("work_mode", "both"),
    ("price_models", "sliding_scale"),
    ("audiences", "small_associations"),
    ("languages", "fr"),
    ("regions", "53"),
]


def make_logo(folder: Path) -> Path:
    """A small real PNG, as a provider's logo."""
    path = folder / "logo.png"
    Image.new("RGB", (64, 64), (11, 93, 87)).save(path)
    return path


def choice(page, name: str, value: str):
    return page.locator(f"input[name={name}][value='{value}']")


def fill_application(page, typed: dict, logo: Path | None = None) -> None:
    """Fills the application form (already open) with the mouse and keyboard, as a person."""
    for field_id, value in typed.items():
        page.locator(f"#{field_id}").fill(value)
    for name, value in CHOICES:
        choice(page, name, value).check()
    page.locator("#charter").check()
    if logo:
        page.locator("#logo").set_input_files(logo)


def submit_application(page):
    """Sends the form the page shows (apply or amend) and waits for the next page."""
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
