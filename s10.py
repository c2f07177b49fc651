from common import *
with sync_playwright() as p:
    b,page,errs=launch(p)
    for lang in ["en","zh"]:
        for path in ["languages","prices","requests"]:
            page.goto(f"{BASE}/{path}?lang={lang}"); time.sleep(3); wait_results(page)
            fullshot(page, f"80_{path}_{lang}"); t=page.inner_text("body")
            dump(page, f"80_{path}_{lang}")
            import re
            print(lang, path, "None" in t, "Traceback" in t, "rror" in t, len(t))
    b.close()
