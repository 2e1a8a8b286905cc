"""WTForms forms; labels are lazy so that they follow the request's language."""
