"""The words of the demo site: guidance written for survivors and the people around them.

Kept apart from cms/demo.py (which creates the objects) so that the text reads as text.
Helpline numbers for national services are the real ones; the local service's number is
from Ofcom's range reserved for drama, so nobody real is called by mistake.
"""

NATIONAL_HELPLINE = ("National Domestic Abuse Helpline", "0808 2000 247", "24 hours, every day")


def h(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def p(*paragraphs):
    return ("text", "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))


def ul(*items, intro=""):
    lead = f"<p>{intro}</p>" if intro else ""
    return ("text", lead + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def inset(text):
    return ("callout", {"style": "inset", "text": f"<p>{text}</p>"})


def warning(text):
    return ("callout", {"style": "warning", "text": f"<p>{text}</p>"})


def details(summary, text):
    return ("details", {"summary": summary, "text": f"<p>{text}</p>"})


def accordion(*sections):
    return (
        "accordion",
        {"sections": [{"heading": head, "text": f"<p>{text}</p>"} for head, text in sections]},
    )


def picture(alt_text, caption=""):
    """An image block; cms/demo.py draws the demo's one picture and puts it in."""
    return ("image", {"image": None, "alt_text": alt_text, "caption": caption})


def contact(name, phone, hours, description="", website=""):
    return (
        "contact_card",
        {
            "name": name,
            "phone": phone,
            "hours": hours,
            "description": description,
            "email": "",
            "website": website,
        },
    )


def national_helpline():
    name, phone, hours = NATIONAL_HELPLINE
    return contact(
        name,
        phone,
        hours,
        "Free and confidential, run by Refuge. You can also ask for help using its web chat.",
        "https://www.nationaldahelpline.org.uk/",
    )


TOPICS = [
    ("Physical abuse", "physical"),
    ("Emotional and psychological abuse", "emotional"),
    ("Coercive control", "coercive-control"),
    ("Economic abuse", "economic"),
    ("Sexual abuse", "sexual"),
    ("Tech abuse and stalking", "tech-abuse-and-stalking"),
    ("Honour-based abuse", "honour-based"),
    ("Children and young people", "children-and-young-people"),
]
AUDIENCES = [
    ("Victims and survivors", "survivors"),
    ("Friends and family", "friends-and-family"),
    ("Professionals", "professionals"),
    ("Employers", "employers"),
]

# (slug, title, summary, topics, audiences, body)
ARTICLES = [
    (
        "what-is-domestic-abuse",
        "What domestic abuse is",
        "Domestic abuse is not only physical violence. It is any pattern of behaviour a partner, "
        "ex-partner or family member uses to hurt, frighten or control you.",
        ["physical", "emotional", "coercive-control", "economic", "sexual"],
        ["survivors", "friends-and-family"],
        [
            p(
                "Domestic abuse can happen to anyone, whatever their age, gender, sexuality, "
                "background or income. It can happen in any relationship: with a partner or "
                "ex-partner, or with a family member such as a parent, child or sibling.",
                "If something in your relationship makes you feel afraid, watched or small, "
                "it is worth talking to someone. You do not need to be sure it is abuse first.",
            ),
            h("What the law says"),
            p(
                "The Domestic Abuse Act 2021 says domestic abuse is behaviour by one person "
                "aged 16 or over towards another they are personally connected to, that is:"
            ),
            ul(
                "physical or sexual abuse",
                "violent or threatening behaviour",
                "controlling or coercive behaviour",
                "economic abuse",
                "psychological, emotional or other abuse",
            ),
            p(
                "It can be a single incident or a pattern over time. Children who see, hear or "
                "live with domestic abuse are recognised as victims in their own right."
            ),
            inset("It is not your fault. Nothing you have done or said makes abuse acceptable."),
            h("Signs you might notice"),
            ul(
                "they check your phone, messages or where you have been",
                "they decide who you can see, what you wear or what you spend",
                "they put you down, call you names or make you doubt your memory",
                "they threaten to hurt you, your children, your pets or themselves",
                "they push, grab, hit or restrain you, or damage your things",
                "they pressure you into sex or sexual acts you do not want",
                intro="Abuse often starts slowly. You might recognise some of these:",
            ),
            details(
                "What if I am not sure it is abuse?",
                "Many people are not sure at first, especially when there is no physical "
                "violence. You can call a helpline just to talk it through. They will not tell "
                "you what to do or contact anyone without your agreement, unless someone is "
                "in immediate danger.",
            ),
            h("Getting support"),
            p(
                "Our helpline can talk through what is happening, help you plan to stay safer "
                "and tell you about drop-ins near you. Outside our hours, the national helpline "
                "is open day and night."
            ),
            national_helpline(),
        ],
    ),
    (
        "coercive-control",
        "Coercive control",
        "Coercive control is a pattern of controlling, threatening and humiliating behaviour that "
        "takes away your freedom. It has been a crime in England and Wales since 2015.",
        ["coercive-control", "emotional"],
        ["survivors", "friends-and-family", "professionals"],
        [
            p(
                "Coercive control is not one argument or one bad day. It is a pattern of "
                "behaviour that, over time, wears down your confidence and independence and "
                "makes you change what you do to avoid the consequences.",
                "Because it is often invisible to other people, many survivors say they did "
                "not realise it was abuse until they spoke to someone.",
            ),
            h("What it can look like"),
            ul(
                "cutting you off from friends and family, or making it hard to see them",
                "monitoring your phone, your location or how you spend your time",
                "controlling your money, or making you ask for everything you need",
                "rules about what you wear, eat or say, and punishment when you break them",
                "jealousy presented as love, and accusations you cannot disprove",
                "threats to share private images, to take the children or to report you",
            ),
            warning(
                "If you are planning to leave, talk to a specialist first if you can. The time "
                "around leaving can be the most dangerous, and a safety plan helps."
            ),
            h("The law"),
            p(
                "Controlling or coercive behaviour in an intimate or family relationship is a "
                "criminal offence under section 76 of the Serious Crime Act 2015. Since 2023 it "
                "also covers behaviour after a relationship has ended."
            ),
            details(
                "Keeping a record safely",
                "A record of what happens can help if you go to the police or court later. "
                "Keep it somewhere the person cannot find, such as with a friend or in an "
                "email account only you can open. Write the date, what happened and who saw it.",
            ),
            national_helpline(),
        ],
    ),
    (
        "economic-abuse",
        "Economic abuse",
        "Economic abuse is when someone controls your money, your job or the things you need to "
        "live, so that you cannot be independent.",
        ["economic", "coercive-control"],
        ["survivors", "friends-and-family"],
        [
            p(
                "Economic abuse is recognised in law as a form of domestic abuse. It can leave "
                "you without money for food or travel, in debt you did not choose, or unable to "
                "leave because you would have nowhere to go."
            ),
            h("What it can look like"),
            ul(
                "taking your wages or benefits, or controlling your bank cards",
                "running up debts in your name or making you take out loans",
                "stopping you from working or studying, or making you lose your job",
                "refusing to pay towards rent, bills or the children's needs",
                "damaging or taking things you need, such as your phone or car",
            ),
            h("Steps that can help"),
            accordion(
                (
                    "Talking to your bank",
                    "Many banks have specialist teams for customers experiencing economic "
                    "abuse. You can ask for a private conversation and for statements to be "
                    "sent somewhere safe, or switched to online only.",
                ),
                (
                    "Debts in your name",
                    "Free debt advice services can help you deal with debts you were coerced "
                    "into. Tell them it is linked to domestic abuse: some lenders will pause "
                    "collection or write debts off.",
                ),
                (
                    "A little money of your own",
                    "If it is safe, putting small amounts aside where the person cannot see, "
                    "or opening an account at a different bank, can give you options later.",
                ),
            ),
            p("Our helpline can put you in touch with advisers who understand economic abuse."),
        ],
    ),
    (
        "tech-abuse-and-stalking",
        "Tech abuse and stalking",
        "Phones, apps and smart devices can be used to watch, track and frighten you. Stalking "
        "is a crime, online or offline.",
        ["tech-abuse-and-stalking", "coercive-control"],
        ["survivors", "friends-and-family"],
        [
            p(
                "Tech abuse is when someone uses technology to monitor, control or harass you: "
                "reading your messages, tracking your location, logging into your accounts, "
                "or sending a flood of messages from new numbers after you block them."
            ),
            warning(
                "Changing passwords or removing apps can alert the person. If it is not safe "
                "for them to notice, talk to a specialist before you change anything."
            ),
            h("Signs your devices may be monitored"),
            ul(
                "they know things you have only said in messages or searched for",
                "they turn up where you are without being told",
                "your phone shows location sharing or accounts you did not set up",
                "you get sign-in alerts or password reset messages you did not ask for",
            ),
            h("Stalking"),
            p(
                "Stalking is a pattern of fixated, obsessive, unwanted and repeated behaviour. "
                "It includes following you, waiting outside your home or work, contacting you "
                "again and again, or contacting people around you. It is a criminal offence, "
                "and you do not have to wait for it to get worse before you report it."
            ),
            details(
                "Keeping a stalking log",
                "Write down every incident with the date, time, place and what happened, and "
                "keep screenshots. Store them somewhere the person cannot reach.",
            ),
            contact(
                "National Stalking Helpline",
                "0808 802 0300",
                "Weekdays, see the website for hours",
                "Run by the Suzy Lamplugh Trust.",
                "https://www.suzylamplugh.org/",
            ),
        ],
    ),
    (
        "supporting-a-friend",
        "How to support a friend or family member",
        "If you are worried someone you care about is being abused, the most important thing "
        "you can do is listen, believe them and stay in touch.",
        ["coercive-control", "emotional"],
        ["friends-and-family"],
        [
            p(
                "It can be frightening to think someone you love is being hurt. You may want to "
                "fix it straight away, but leaving an abusive relationship is a process, and "
                "it is often most dangerous around the time someone leaves."
            ),
            h("What helps"),
            ul(
                "choose a private moment and ask gently how things are at home",
                "listen without judging, and tell them you believe them",
                "remind them it is not their fault",
                "let them make their own decisions, even when you would choose differently",
                "offer practical help: a safe place to keep documents, a phone to use, a lift",
                "keep in touch, even if they pull away or go back",
            ),
            h("What to avoid"),
            ul(
                "confronting the person who is abusing them: it can put your friend at risk",
                "telling them what they must do, or giving ultimatums",
                "posting about it online or talking about it where others might hear",
            ),
            inset(
                "If you think someone is in immediate danger, call 999. You can also call a "
                "helpline yourself for advice on how to support them."
            ),
            details(
                "Ask for ANI",
                "Many pharmacies take part in the Ask for ANI scheme. Saying 'Can I ask for "
                "ANI?' at the counter means a trained member of staff will take you somewhere "
                "private and help you contact the police or support services.",
            ),
            national_helpline(),
        ],
    ),
    (
        "for-employers",
        "Domestic abuse: a guide for employers",
        "One in five people experiencing domestic abuse is targeted at work. Employers can make "
        "a real difference by noticing, asking and offering practical support.",
        ["coercive-control", "economic", "tech-abuse-and-stalking"],
        ["employers"],
        [
            p(
                "Domestic abuse does not stay at home. Abusers may call or message constantly, "
                "turn up at the workplace, or sabotage someone's job. Employers have a duty of "
                "care, and the workplace can be one of the few places a person is safe to ask "
                "for help."
            ),
            h("Signs at work"),
            ul(
                "frequent lateness or absence, or being picked up and dropped off every day",
                "many personal calls or messages that seem to cause distress",
                "changes in behaviour, confidence or quality of work",
                "injuries explained away, or clothing that seems to hide them",
            ),
            h("What you can put in place"),
            accordion(
                (
                    "A domestic abuse policy",
                    "Say clearly that the organisation will support employees experiencing "
                    "abuse, who they can talk to in confidence, and what help is available.",
                ),
                (
                    "Safe leave and flexible working",
                    "Paid leave for appointments with solicitors, police or support services, "
                    "and flexibility over hours or location, can make leaving possible.",
                ),
                (
                    "Safety at work",
                    "Agree a safety plan: screen calls, change a phone extension, move a desk "
                    "away from the entrance, share a photo with reception if the abuser might "
                    "come in, and vary working patterns.",
                ),
                (
                    "If the person causing harm works for you",
                    "Treat it seriously as a conduct issue. Using work time or equipment to "
                    "abuse someone is a disciplinary matter, and may be a crime.",
                ),
            ),
            p(
                "We run domestic abuse awareness training for businesses, including training "
                "for managers and workplace champions."
            ),
        ],
    ),
    (
        "for-professionals",
        "For professionals: risk, referral and Operation Encompass",
        "How to assess risk with the DASH checklist, when to refer to MARAC, how Operation "
        "Encompass works with schools, and how to refer to our service.",
        ["coercive-control", "children-and-young-people", "honour-based"],
        ["professionals"],
        [
            p(
                "This page is for practitioners in health, housing, education, social care, "
                "the police and the voluntary sector who may be the first to hear a disclosure."
            ),
            h("Responding to a disclosure"),
            ul(
                "see the person alone, in a private space, and never use a partner or family "
                "member to interpret",
                "believe them, and tell them the abuse is not their fault",
                "explain what you will do with the information before they say more",
                "record what they said in their own words, and keep the record secure",
            ),
            h("Assessing risk: the DASH checklist"),
            p(
                "The Domestic Abuse, Stalking and Harassment and Honour-Based Violence (DASH) "
                "risk identification checklist helps you identify people at high risk of "
                "serious harm. Complete it with the person, in private, using their answers."
            ),
            h("MARAC"),
            p(
                "A Multi-Agency Risk Assessment Conference (MARAC) is a regular meeting where "
                "agencies share information about people at the highest risk and agree a "
                "safety plan. Refer to MARAC when:"
            ),
            ul(
                "the DASH checklist has 14 or more 'yes' answers",
                "your professional judgement is that the risk is high, whatever the score",
                "there is escalation, such as three or more police call-outs in 12 months",
            ),
            p(
                "Tell the person you are referring them unless that would increase the risk. "
                "High-risk survivors are offered an Independent Domestic Violence Adviser (IDVA)."
            ),
            h("Operation Encompass"),
            p(
                "When police attend a domestic abuse incident where a child lives, Operation "
                "Encompass means they tell the child's school before the next school day. A "
                "trained key adult can then offer support quietly, so the child is not left "
                "to cope alone."
            ),
            h("Children and safeguarding"),
            p(
                "Children living with domestic abuse are victims in their own right. Follow "
                "your organisation's safeguarding procedures and refer to children's social "
                "care when a child is at risk of significant harm."
            ),
            h("Honour-based abuse and forced marriage"),
            warning(
                "Never approach the family or community, and never use them to interpret. "
                "Contact the Forced Marriage Unit and police if someone is at risk of being "
                "taken abroad."
            ),
            h("Referring to our service"),
            p(
                "With the person's agreement you can refer them to our helpline, drop-ins and "
                "recovery programmes. Use our referral form or call the helpline, and tell us "
                "the safest way to make contact."
            ),
            details(
                "Clare's Law (the Domestic Violence Disclosure Scheme)",
                "Anyone can ask the police whether a partner has a record of abuse (the right "
                "to ask), and police can decide to tell someone at risk (the right to know). "
                "Professionals can apply on a person's behalf.",
            ),
        ],
    ),
    (
        "keeping-your-phone-and-accounts-safe",
        "Staying safe online: your phone and accounts",
        "Practical steps to make your phone, email and social media harder for someone else to "
        "get into, and how to do it without alerting them.",
        ["tech-abuse-and-stalking"],
        ["survivors", "friends-and-family"],
        [
            warning(
                "If the person may notice changes, think first about whether it is safe. A "
                "sudden new password can make things worse. Our helpline can help you decide."
            ),
            h("Your phone"),
            ul(
                "set a passcode they do not know, and turn off previews on the lock screen",
                "check location sharing in your phone's settings and in apps like maps and "
                "social media",
                "look for apps you do not recognise, especially ones with access to your "
                "location, messages or microphone",
                "check which devices are signed in to your accounts",
            ),
            h("Email and social media"),
            ul(
                "change passwords on a device the person has never used",
                "turn on two-step verification, using a phone only you have",
                "change security questions: they may know the answers",
                "review who can see your posts, and remove location from photos",
            ),
            h("Smart devices and trackers"),
            p(
                "Smart speakers, doorbells, cameras and car apps can be used to watch or listen. "
                "Small tracking tags can be hidden in a bag or car. Some phones can scan for "
                "unknown trackers travelling with you."
            ),
            p(
                "Read our page on staying safe on this website for how to leave quickly and "
                "clear your browsing history."
            ),
        ],
    ),
    (
        "making-a-safety-plan",
        "Making a safety plan",
        "A safety plan is a set of steps to help you stay safer now, whether you stay, are "
        "thinking about leaving, or have left.",
        ["physical", "coercive-control", "children-and-young-people"],
        ["survivors", "friends-and-family"],
        [
            p(
                "You know your situation best. A safety plan builds on what you already do to "
                "keep yourself and your children safe. A specialist can help you make one."
            ),
            h("If you are staying for now"),
            ul(
                "know which rooms have a way out, and avoid rooms with possible weapons",
                "agree a code word with someone you trust that means 'call the police'",
                "teach children how to call 999 and where to go if it is not safe",
                "keep your phone charged and some money and a key somewhere you can reach",
            ),
            h("If you are planning to leave"),
            ul(
                "gather documents: ID, birth certificates, bank cards, tenancy papers, medication",
                "keep copies with someone you trust, or in an account only you can open",
                "plan where you could go and how you would get there",
            ),
            inset(
                "Refuges are safe, confidential places to stay. The national helpline can "
                "look for a space for you, including in another area."
            ),
            national_helpline(),
        ],
    ),
]

SAFETY_PAGE = (
    "staying-safe-online",
    "Staying safe online",
    "<p>Someone may be able to see which websites you have visited. Here is how to leave this "
    "site quickly and cover your tracks.</p>",
    [
        h("Exit this page"),
        p(
            "Every page on this site has an Exit this page button. Selecting it, or pressing "
            "the Shift key three times, takes you straight to a weather website and replaces "
            "this page in your browser's back button.",
        ),
        picture(
            "A red button with the words Exit this page in white.",
            "The Exit this page button is at the top of every page.",
        ),
        warning(
            "Exit this page does not delete your browsing history. Someone who looks at your "
            "history will still see you visited this site."
        ),
        h("What Exit this page does and does not do"),
        ul(
            "it hides the page at once and takes you to another website",
            "it signs you out, if you were signed in",
            "it does not erase your history, downloads or saved passwords",
            "it cannot stop software someone has installed to watch your device",
        ),
        h("Use private browsing"),
        p(
            "A private or incognito window does not keep a history of the pages you visit once "
            "you close it. Open one from your browser's menu: it is called Private Browsing in "
            "Safari and Firefox, and a New Incognito Window in Chrome and Edge."
        ),
        h("Delete a single page from your history"),
        p(
            "Clearing all of your history can look suspicious. It is often safer to remove "
            "only the pages you do not want someone to see."
        ),
        accordion(
            (
                "Chrome or Edge",
                "Open the menu, choose History, tick the pages you want to remove and choose "
                "Delete. On a phone, open History and swipe or tap the cross next to a page.",
            ),
            (
                "Safari on iPhone or iPad",
                "Tap the book icon, then the clock. Swipe left on a page and tap Delete.",
            ),
            (
                "Firefox",
                "Open the menu, choose History, then Manage history. Right-click a page and "
                "choose Delete Page.",
            ),
        ),
        h("Shared and monitored devices"),
        p(
            "If someone else uses your phone, tablet or computer, or set it up for you, they "
            "may be able to see what you do on it. If you can, use a device they have no access "
            "to, such as a computer at a library, at work or at a friend's home."
        ),
        details(
            "Calls and messages",
            "Our number will show in your call history. You can delete a single call from the "
            "history on most phones. Calls to the national helpline do not show on BT landline "
            "bills.",
        ),
    ],
)

ACCESSIBILITY_STATEMENT = (
    "accessibility-statement",
    "Accessibility statement",
    "<p>We want as many people as possible to be able to use this website.</p>",
    [
        p(
            "You should be able to change colours, contrast and fonts, zoom in up to 400% "
            "without text spilling off the screen, navigate the whole site using just a "
            "keyboard, and listen to it using a screen reader.",
        ),
        h("How accessible this website is"),
        p(
            "This website is built on the GOV.UK Design System and tested with automated "
            "accessibility checks and by hand. We aim to meet the Web Content Accessibility "
            "Guidelines (WCAG) version 2.2 AA standard."
        ),
        h("Reporting accessibility problems"),
        p(
            "If you find a problem, or need information in a different format such as large "
            "print, easy read or another language, call our helpline and tell us."
        ),
        h("Enforcement procedure"),
        p(
            "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
            "accessibility regulations. If you are not happy with how we respond to your "
            "complaint, contact the Equality Advisory and Support Service (EASS)."
        ),
    ],
)

PRIVACY_NOTICE = (
    "privacy-notice",
    "Privacy notice",
    "<p>How we use and protect the information you give us.</p>",
    [
        h("Reading this website"),
        p(
            "Reading this website does not set any cookies and we do not use analytics or "
            "tracking. Nothing on these pages is loaded from another company's website."
        ),
        h("When you contact us or use our services"),
        p(
            "We keep the information you give us to provide the support you ask for. Personal "
            "details are encrypted when stored, and every time a member of staff opens a "
            "record it is logged."
        ),
        h("Sharing information"),
        p(
            "We will not share what you tell us without your agreement, except when we must to "
            "protect you or someone else, especially a child, from serious harm."
        ),
        h("Your rights"),
        p(
            "You can ask to see the information we hold about you, to correct it, or to delete "
            "it. You can complain to the Information Commissioner's Office (ICO)."
        ),
    ],
)

ABOUT_PAGE = (
    "about-us",
    "About the service",
    "<p>A free, confidential community service for anyone affected by domestic abuse in the "
    "borough, commissioned by the council.</p>",
    [
        p(
            "We offer a helpline, weekly drop-ins in the North, Central and South of the "
            "borough, recovery programmes such as the Freedom Programme, and domestic abuse "
            "training for council staff, partner agencies, businesses and the public."
        ),
        p("We support people of every gender, age, sexuality, background and faith."),
    ],
)

LOCALITIES = [("North", "north"), ("Central", "central"), ("South", "south")]

# (name, locality, venue, address, postcode, frequency, weekday, week_of_month, start, end,
#  who_for, step_free, hearing_loop, creche, access_notes, description)
DROP_INS = [
    (
        "Monday coffee morning",
        "north",
        "Northfield Community Library",
        "12 Market Street\nNorthfield",
        "RV2 4LB",
        "weekly",
        0,
        None,
        "10:00",
        "12:00",
        "Women only",
        True,
        True,
        False,
        "Quiet room available. Ask at the front desk for 'the Monday group'.",
        "An informal space to talk to a support worker over a cup of tea.",
    ),
    (
        "Thursday evening drop-in",
        "north",
        "St Aidan's Church Hall",
        "Church Lane\nNorthfield",
        "RV2 7QT",
        "weekly",
        3,
        None,
        "18:00",
        "20:00",
        "Open to all",
        True,
        False,
        False,
        "Side entrance is step-free.",
        "For anyone who cannot get to a daytime session.",
    ),
    (
        "Central family hub drop-in",
        "central",
        "Riverside Family Hub",
        "1 Civic Way\nRiverside",
        "RV1 1AA",
        "weekly",
        1,
        None,
        "13:00",
        "15:00",
        "Open to all; children welcome",
        True,
        True,
        True,
        "Crèche for children under five: no need to book.",
        "Talk to a specialist while your children are looked after nearby.",
    ),
    (
        "LGBT+ support evening",
        "central",
        "Riverside Community Centre",
        "44 High Street\nRiverside",
        "RV1 3DF",
        "fortnightly",
        2,
        None,
        "18:30",
        "20:30",
        "LGBT+ people",
        True,
        True,
        False,
        "",
        "Run with a local LGBT+ charity. Come for a chat, with no need to share anything.",
    ),
    (
        "Southgate Friday drop-in",
        "south",
        "Southgate Health Centre",
        "Room 3, Southgate Health Centre\nPark Road\nSouthgate",
        "RV3 9HP",
        "weekly",
        4,
        None,
        "09:30",
        "11:30",
        "Open to all",
        True,
        True,
        False,
        "Tell reception you are here for 'room 3'.",
        "Held in a health centre, so nobody needs to know why you are there.",
    ),
    (
        "Men's support session",
        "south",
        "Southgate Leisure Centre",
        "Meeting Room 2, Lakeside Drive\nSouthgate",
        "RV3 2WE",
        "monthly",
        5,
        1,
        "10:00",
        "12:00",
        "Men only",
        True,
        False,
        False,
        "",
        "For men experiencing abuse from a partner or family member.",
    ),
]
